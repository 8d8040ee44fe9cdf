package io.uploadstream.upload;

import io.uploadstream.s3.S3ConnectionSettings;
import io.uploadstream.testing.S3MockServer;
import java.util.Set;

/**
 * The object option scenarios against Adobe S3Mock (child JVM): tags and storage classes work on
 * both paths; it drops server-side encryption on multipart uploads, and knows one KMS key.
 */
class ObjectOptionsS3MockIT extends ObjectOptionsScenarios {

  @Override
  S3ConnectionSettings connection() {
    return Stores.s3mock();
  }

  @Override
  Set<StoreGap> gaps() {
    return StoreGap.OF_S3MOCK;
  }

  @Override
  String kmsKeyId() {
    String arn = S3MockServer.KMS_KEY_ID;
    return arn.substring(arn.lastIndexOf('/') + 1); // S3Mock refuses the ARN form
  }
}
