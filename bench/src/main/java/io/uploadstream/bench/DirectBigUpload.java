package io.uploadstream.bench;

import io.uploadstream.s3.S3Clients;
import io.uploadstream.upload.MultipartUploader;
import io.uploadstream.upload.UploadListener;
import io.uploadstream.upload.UploadOutcome;
import io.uploadstream.upload.UploadSpec;
import io.uploadstream.upload.UploaderSettings;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * One big upload from this JVM with {@link MultipartUploader} (unsigned payload, default part size
 * and parts in flight, as the processor sends it), in the background: the load a big upload puts on
 * the machine (file reads, HTTP, the S3 server writing parts) without the processor's pipeline.
 */
final class DirectBigUpload implements AutoCloseable {
  private static final int PARTS_IN_FLIGHT = UploaderSettings.DEFAULTS.partsInFlight();

  private final ExecutorService partThreads = Executors.newCachedThreadPool();
  private final ExecutorService caller = Executors.newSingleThreadExecutor();
  private final S3Client s3;
  private final MultipartUploader uploader;
  private final Stack stack;

  DirectBigUpload(Stack stack) {
    this.stack = stack;
    this.s3 = S3Clients.create(stack.connection(true, PARTS_IN_FLIGHT + 4));
    this.uploader =
        new MultipartUploader(
            s3, UploaderSettings.DEFAULTS, partThreads, UploadListener.NONE, Clock.systemUTC());
  }

  /** Starts uploading {@code file} to {@code key}. */
  Running start(Path file, String key) {
    long start = System.nanoTime();
    CompletableFuture<Double> mbps =
        CompletableFuture.supplyAsync(() -> upload(file, key, start), caller);
    return new Running(mbps);
  }

  private double upload(Path file, String key, long start) {
    try {
      UploadOutcome outcome =
          uploader.upload(
              new UploadSpec(key, file, Stack.BUCKET, key, "application/octet-stream", Map.of()));
      if (!(outcome instanceof UploadOutcome.UploadSucceeded)) {
        throw new IllegalStateException("the direct big upload failed: " + outcome);
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      double mbps = PipelineDriver.size(file) / 1e6 / seconds;
      stack.deleteObjects(key);
      return mbps;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** An upload under way. */
  record Running(CompletableFuture<Double> mbps) {
    /** Waits for it to finish: its rate, MB/s. */
    double awaitMbps(Duration timeout) throws InterruptedException {
      try {
        return mbps.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (ExecutionException | TimeoutException e) {
        throw new IllegalStateException("the direct big upload did not finish", e);
      }
    }
  }

  @Override
  public void close() {
    caller.shutdownNow();
    partThreads.shutdownNow();
    s3.close();
  }
}
