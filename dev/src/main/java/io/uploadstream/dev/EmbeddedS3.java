package io.uploadstream.dev;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A real S3 API server (S3Proxy) on 127.0.0.1, backed by a directory (data survives restarts) or by
 * memory. It speaks the S3 REST protocol with AWS V2/V4 signatures, multipart uploads included.
 *
 * <p>It is strict, as S3Proxy is by default: a request with a header that implies something it does
 * not implement (tags, {@code x-amz-tagging}) is answered 501 Not Implemented, so tests and {@code
 * dev} see what a user of S3Proxy would, never a silently dropped option. Only the benchmark's S3
 * server ignores unknown headers ({@link #main} with {@value #IGNORE_UNKNOWN_HEADERS}), for the
 * {@code x-amz-mp-object-size} header the SDK's transfer manager sends.
 */
public final class EmbeddedS3 implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EmbeddedS3.class);

  public static final String DEFAULT_ACCESS_KEY = "upload-stream";
  public static final String DEFAULT_SECRET_KEY = "upload-stream-secret";

  /** The {@link #main} flag of the benchmark's server: accept headers S3Proxy does not know. */
  public static final String IGNORE_UNKNOWN_HEADERS = "--ignore-unknown-headers";

  private final S3Proxy proxy;
  private final String accessKey;
  private final String secretKey;
  private final boolean https;

  private EmbeddedS3(S3Proxy proxy, String accessKey, String secretKey, boolean https) {
    this.proxy = proxy;
    this.accessKey = accessKey;
    this.secretKey = secretKey;
    this.https = https;
  }

  /**
   * A server speaking HTTPS only, with the key and certificate in {@code keyStore} (PKCS12/JKS),
   * keeping objects in memory.
   */
  public static EmbeddedS3 httpsInMemory(Path keyStore, String password) {
    S3Proxy proxy =
        S3Proxy.builder()
            .blobStore(new TransientNio2BlobStore())
            .secureEndpoint(URI.create("https://127.0.0.1:0"))
            .keyStore(keyStore.toString(), password)
            .awsAuthentication(
                AuthenticationType.AWS_V2_OR_V4, DEFAULT_ACCESS_KEY, DEFAULT_SECRET_KEY)
            .build();
    return new EmbeddedS3(proxy, DEFAULT_ACCESS_KEY, DEFAULT_SECRET_KEY, true);
  }

  /** A server storing objects as files under {@code dataDir}, on {@code port} (0: any free). */
  public static EmbeddedS3 onDisk(Path dataDir, int port) {
    return onDisk(dataDir, port, false);
  }

  /**
   * As {@link #onDisk(Path, int)}; {@code ignoreUnknownHeaders} makes it accept (and drop) headers
   * it does not implement, which only the benchmark's transfer manager needs.
   */
  public static EmbeddedS3 onDisk(Path dataDir, int port, boolean ignoreUnknownHeaders) {
    try {
      Files.createDirectories(dataDir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create S3 data directory " + dataDir, e);
    }
    return create(new FilesystemNio2BlobStore(dataDir.toString()), port, ignoreUnknownHeaders);
  }

  /** A server keeping objects in memory, on any free port. */
  public static EmbeddedS3 inMemory() {
    return create(new TransientNio2BlobStore(), 0, false);
  }

  private static EmbeddedS3 create(BlobStore store, int port, boolean ignoreUnknownHeaders) {
    S3Proxy proxy =
        S3Proxy.builder()
            .blobStore(store)
            .endpoint(URI.create("http://127.0.0.1:" + port))
            .awsAuthentication(
                AuthenticationType.AWS_V2_OR_V4, DEFAULT_ACCESS_KEY, DEFAULT_SECRET_KEY)
            .ignoreUnknownHeaders(ignoreUnknownHeaders)
            .build();
    return new EmbeddedS3(proxy, DEFAULT_ACCESS_KEY, DEFAULT_SECRET_KEY, false);
  }

  public EmbeddedS3 start() {
    try {
      proxy.start();
    } catch (Exception e) {
      throw new IllegalStateException("cannot start S3Proxy", e);
    }
    log.info("S3 server ready at {}", endpoint());
    return this;
  }

  public URI endpoint() {
    return URI.create((https ? "https" : "http") + "://127.0.0.1:" + port());
  }

  public int port() {
    return https ? proxy.getSecurePort() : proxy.getPort();
  }

  /** A client of this server with its keys (path-style); the caller closes it. */
  public S3Client newClient() {
    return S3Client.builder()
        .endpointOverride(endpoint())
        .region(Region.US_EAST_1)
        .forcePathStyle(true)
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey)))
        .build();
  }

  public String accessKey() {
    return accessKey;
  }

  public String secretKey() {
    return secretKey;
  }

  @Override
  public void close() {
    URI endpoint = endpoint(); // the port is gone once stopped
    try {
      proxy.stop();
    } catch (Exception e) {
      throw new IllegalStateException("cannot stop S3Proxy", e);
    }
    log.info("S3 server at {} stopped", endpoint);
  }

  /**
   * Child-JVM entry point: {@code EmbeddedS3 DATA_DIR PORT [--ignore-unknown-headers]}; prints
   * {@code READY endpoint}.
   */
  public static void main(String[] args) throws InterruptedException {
    boolean lenient = args.length == 3 && IGNORE_UNKNOWN_HEADERS.equals(args[2]);
    if (args.length != 2 && !lenient) {
      System.err.println("usage: EmbeddedS3 DATA_DIR PORT [" + IGNORE_UNKNOWN_HEADERS + "]");
      System.exit(2);
    }
    EmbeddedS3 s3 = onDisk(Path.of(args[0]), Integer.parseInt(args[1]), lenient).start();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  s3.close();
                  stopped.countDown();
                }));
    System.out.println("READY " + s3.endpoint());
    System.out.flush();
    stopped.await();
  }
}
