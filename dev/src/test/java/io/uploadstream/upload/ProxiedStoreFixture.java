package io.uploadstream.upload;

import static io.uploadstream.upload.TestFiles.MIB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.uploadstream.dev.EmbeddedS3;
import io.uploadstream.dev.FaultInjectingProxy;
import io.uploadstream.dev.FaultInjectingProxy.Action;
import io.uploadstream.dev.FaultInjectingProxy.Rule;
import io.uploadstream.s3.S3Clients;
import io.uploadstream.s3.S3ConnectionSettings;
import io.uploadstream.upload.UploadOutcome.UploadFailed;
import io.uploadstream.upload.UploadOutcome.UploadSucceeded;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/**
 * An S3Proxy store with a {@link FaultInjectingProxy} between the uploader and it, a bucket per
 * test, and helpers. What was left behind is checked on the store directly, not through the proxy.
 */
abstract class ProxiedStoreFixture {
  static final RetrySettings FAST_RETRY =
      new RetrySettings(3, Duration.ofMillis(10), 2.0, Duration.ofMillis(50), 0.5);
  static final UploaderSettings SETTINGS =
      new UploaderSettings(8 * MIB, 4, ChecksumAlgorithm.CRC32C, FAST_RETRY);

  /** The store behind the proxy: S3Proxy in memory, or the one a subclass's startStore() sets. */
  static S3ConnectionSettings server;

  /** How that store departs from S3 where a scenario depends on it. */
  static Set<StoreGap> gaps = StoreGap.NONE;

  private static EmbeddedS3 s3proxy;

  @TempDir Path dir;
  FaultInjectingProxy proxy;
  FaultInjectingProxy.Gauge allRequests;
  S3Client store;
  ExecutorService partThreads;
  RecordingListener listener;
  String bucket;
  final List<S3Client> clients = new ArrayList<>();

  @BeforeAll
  static void startStore() {
    gaps = StoreGap.NONE;
    s3proxy = EmbeddedS3.inMemory().start();
    server =
        S3ConnectionSettings.endpoint(
            s3proxy.endpoint(), "us-east-1", s3proxy.accessKey(), s3proxy.secretKey());
  }

  @AfterAll
  static void stopStore() {
    s3proxy.close();
  }

  /** For a subclass's startStore(): the shared S3Mock instead of S3Proxy, with its gaps. */
  static void useS3Mock() {
    server = Stores.s3mock();
    gaps = StoreGap.OF_S3MOCK;
  }

  /** Skips (reported) a scenario whose store lacks what it checks. */
  static void assumeStoreHasNo(StoreGap gap) {
    assumeFalse(gaps.contains(gap), () -> "the store has the gap " + gap);
  }

  @BeforeEach
  void setUp() throws IOException {
    proxy = FaultInjectingProxy.start(server.endpoint());
    allRequests = proxy.track(r -> true);
    store = Stores.verifyingClient(direct());
    bucket = "faults-" + UUID.randomUUID();
    store.createBucket(b -> b.bucket(bucket));
    partThreads = Executors.newFixedThreadPool(8);
    listener = new RecordingListener();
  }

  @AfterEach
  void tearDown() throws IOException {
    partThreads.shutdownNow();
    clients.forEach(S3Client::close);
    store.close();
    proxy.close();
  }

  /** Fails the first attempts of one part with the given actions, then forwards. */
  Rule failAttempts(int partNumber, Action... failures) {
    AtomicInteger attempts = new AtomicInteger();
    return r -> {
      if (!r.isUploadPart() || r.partNumber() != partNumber) {
        return Action.forward();
      }
      int attempt = attempts.incrementAndGet();
      return attempt <= failures.length ? failures[attempt - 1] : Action.forward();
    };
  }

  long partAttempts(int partNumber) {
    return proxy.requests().stream()
        .filter(r -> r.isUploadPart() && r.partNumber() == partNumber)
        .count();
  }

  S3ConnectionSettings direct() {
    return S3ConnectionSettings.endpoint(
        server.endpoint(), "us-east-1", server.accessKey(), server.secretKey());
  }

  S3ConnectionSettings throughProxy() {
    return S3ConnectionSettings.endpoint(
        proxy.endpoint(), "us-east-1", server.accessKey(), server.secretKey());
  }

  S3Client client(S3ClientBuilder builder) {
    S3Client client = builder.build();
    clients.add(client);
    return client;
  }

  MultipartUploader uploader(UploaderSettings settings) {
    return uploader(client(S3Clients.builder(throughProxy())), settings);
  }

  MultipartUploader uploader(S3Client client, UploaderSettings settings) {
    return uploader(client, settings, FileOpener.PLAIN);
  }

  MultipartUploader uploader(UploaderSettings settings, FileOpener opener) {
    return uploader(client(S3Clients.builder(throughProxy())), settings, opener);
  }

  private MultipartUploader uploader(
      S3Client client, UploaderSettings settings, FileOpener opener) {
    return new MultipartUploader(
        client, settings, partThreads, listener, Clock.systemUTC(), opener);
  }

  /**
   * An uploader that plans at most {@code maxPartCount} parts per file, so a file of a few parts
   * gets parts grown beyond the part size as a file of over 10,000 parts would.
   */
  MultipartUploader uploader(S3Client client, UploaderSettings settings, int maxPartCount) {
    return new MultipartUploader(
        client,
        settings,
        partThreads,
        listener,
        Clock.systemUTC(),
        FileOpener.PLAIN,
        settings.partsInFlight(),
        maxPartCount);
  }

  /** An uploader whose clock says {@code now}: S3Proxy stamps uploads with the real time. */
  MultipartUploader uploader(UploaderSettings settings, Clock now) {
    return new MultipartUploader(
        client(S3Clients.builder(throughProxy())), settings, partThreads, listener, now);
  }

  UploadSpec spec(Path file, String key) {
    return new UploadSpec("req-" + key, file, bucket, key, null, Map.of());
  }

  static UploadSucceeded succeeded(UploadOutcome outcome) {
    assertThat(outcome).isInstanceOf(UploadSucceeded.class);
    return (UploadSucceeded) outcome;
  }

  static UploadFailed failed(UploadOutcome outcome) {
    assertThat(outcome).isInstanceOf(UploadFailed.class);
    return (UploadFailed) outcome;
  }

  void assertStoredBytes(String key, Path file) throws IOException {
    TestFiles.assertSameBytes(store.getObject(b -> b.bucket(bucket).key(key)), file);
  }

  /**
   * No parts and no object are left. Checked once the proxy has finished relaying: a request the
   * client gave up on can still be on its way to the store, and must not leave anything either.
   */
  void assertNothingLeft(String key) {
    await().atMost(Duration.ofSeconds(10)).until(() -> allRequests.inFlight() == 0);
    assertThat(Stores.incompleteUploads(store, bucket)).isEmpty();
    assertThat(Stores.exists(store, bucket, key)).isFalse();
  }
}
