package io.uploadstream.processor;

import io.uploadstream.client.ConfigException;
import io.uploadstream.config.Secret;
import io.uploadstream.config.Setting;
import io.uploadstream.config.Settings;
import io.uploadstream.s3.S3Clients;
import io.uploadstream.s3.S3ConnectionSettings;
import software.amazon.awssdk.services.s3.S3Client;

/** Maps the storage settings onto an S3 client sized for the uploads this processor runs. */
final class S3Connection {
  /** Spare connections for HEAD/list/complete calls beside the part uploads. */
  private static final int SPARE_CONNECTIONS = 8;

  private S3Connection() {}

  static S3Client client(Settings settings) {
    var storage = settings.storage();
    int connections =
        settings.processor().uploadsInFlight() * settings.uploader().partsInFlight()
            + SPARE_CONNECTIONS;
    S3ConnectionSettings connection =
        new S3ConnectionSettings(
            storage.endpoint().orElse(null),
            storage.region(),
            storage.pathStyle(),
            storage.accessKey().orElse(null),
            storage.secretKey().map(Secret::value).orElse(null),
            connections,
            storage.flexibleChecksums(),
            storage.unsignedPayload(),
            S3ConnectionSettings.Timeouts.DEFAULTS,
            storage
                .trustStore()
                .map(
                    path ->
                        new S3ConnectionSettings.TrustStore(
                            path, storage.trustStorePassword().map(Secret::value).orElse(null)))
                .orElse(null));
    try {
      return S3Clients.create(connection);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(Setting.S3_TRUST_STORE.key(), e.getMessage());
    }
  }
}
