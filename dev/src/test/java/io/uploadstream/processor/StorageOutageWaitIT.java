package io.uploadstream.processor;

import static org.assertj.core.api.Assertions.assertThat;

import io.uploadstream.dev.EmbeddedS3;
import io.uploadstream.dev.FaultInjectingProxy;
import io.uploadstream.dev.FaultInjectingProxy.Action;
import io.uploadstream.dev.FaultInjectingProxy.Request;
import io.uploadstream.s3.S3Clients;
import io.uploadstream.s3.S3ConnectionSettings;
import io.uploadstream.upload.ChecksumAlgorithm;
import io.uploadstream.upload.FileOpener;
import io.uploadstream.upload.JanitorSettings;
import io.uploadstream.upload.MultipartJanitor;
import io.uploadstream.upload.MultipartJanitor.Sweep;
import io.uploadstream.upload.MultipartUploader;
import io.uploadstream.upload.RetrySettings;
import io.uploadstream.upload.UploadListener;
import io.uploadstream.upload.UploadOutcome;
import io.uploadstream.upload.UploadOutcome.UploadFailed;
import io.uploadstream.upload.UploadOutcome.UploadSucceeded;
import io.uploadstream.upload.UploadSpec;
import io.uploadstream.upload.UploaderSettings;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The processor's outage wait against S3Proxy: between two attempts at an upload the store kept
 * failing, the upload is kept for the next attempt, and this instance's janitor must leave it alone
 * although it looks idle.
 */
class StorageOutageWaitIT {
  private static final long MIB = 1024 * 1024;
  private static final RetrySettings ONE_ATTEMPT =
      new RetrySettings(1, Duration.ofMillis(10), 2.0, Duration.ofMillis(50), 0.5);

  @TempDir Path dir;
  private EmbeddedS3 server;
  private FaultInjectingProxy proxy;
  private S3Client direct;
  private S3Client throughProxy;
  private ExecutorService partThreads;
  private String bucket;

  @BeforeEach
  void start() throws Exception {
    server = EmbeddedS3.inMemory().start();
    proxy = FaultInjectingProxy.start(server.endpoint());
    direct = S3Clients.create(connection(server.endpoint().toString()));
    throughProxy = S3Clients.create(connection(proxy.endpoint().toString()));
    bucket = "outage-" + UUID.randomUUID();
    direct.createBucket(b -> b.bucket(bucket));
    partThreads = Executors.newFixedThreadPool(2);
  }

  @AfterEach
  void stop() throws Exception {
    partThreads.shutdownNow();
    throughProxy.close();
    direct.close();
    proxy.close();
    server.close();
  }

  @Test
  void janitorBetweenOutageAttempts_leavesTheKeptUploadAlone_andTheNextAttemptResumesIt()
      throws Exception {
    AtomicBoolean storeDown = new AtomicBoolean(true);
    proxy.rule(
        r ->
            r.isUploadPart() && r.partNumber() == 2 && storeDown.get()
                ? Action.serviceUnavailable()
                : Action.forward());
    MultipartUploader uploader =
        new MultipartUploader(
            throughProxy,
            new UploaderSettings(8 * MIB, 1, ChecksumAlgorithm.CRC32C, ONE_ATTEMPT),
            partThreads,
            UploadListener.NONE,
            Clock.systemUTC());
    // Two hours on, every upload looks idle to the janitor: only this instance's keys protect.
    MultipartJanitor janitor =
        new MultipartJanitor(
            direct,
            bucket,
            new JanitorSettings(Duration.ofHours(1), Duration.ofHours(1), List.of()),
            ONE_ATTEMPT,
            uploader::keysInFlight,
            Clock.offset(Clock.systemUTC(), Duration.ofHours(2)));
    List<Sweep> sweeps = new CopyOnWriteArrayList<>();
    FileUploader attemptThenSweep =
        (spec, opener) -> {
          UploadOutcome outcome = uploader.upload(spec, opener);
          if (outcome instanceof UploadFailed) {
            sweeps.add(janitor.sweep()); // after this attempt, before the next
            storeDown.set(false);
          }
          return outcome;
        };
    Path file = TestData.randomFile(dir.resolve("f.bin"), 9 * MIB);
    UploadSpec spec = new UploadSpec("r1", file, bucket, "tmp/f.bin", null, Map.of());

    UploadOutcome outcome =
        new StorageOutageWait(Duration.ofMinutes(1), Clock.systemUTC(), uploader::holdKey)
            .upload(attemptThenSweep, spec, FileOpener.PLAIN);

    assertThat(outcome).isInstanceOf(UploadSucceeded.class);
    assertThat(sweeps).hasSize(1);
    assertThat(sweeps.get(0).aborted()).as("the kept upload was not aborted").isZero();
    List<Request> requests = proxy.requests();
    assertThat(requests.stream().filter(StorageOutageWaitIT::isCreateMultipartUpload))
        .as("the second attempt resumed the kept upload")
        .hasSize(1);
    assertThat(requests.stream().filter(r -> r.isUploadPart() && r.partNumber() == 1))
        .as("part 1 was stored once")
        .hasSize(1);
  }

  private S3ConnectionSettings connection(String endpoint) {
    return S3ConnectionSettings.endpoint(
        java.net.URI.create(endpoint), "us-east-1", server.accessKey(), server.secretKey());
  }

  private static boolean isCreateMultipartUpload(Request r) {
    return r.method().equals("POST") && r.query().startsWith("uploads");
  }
}
