package io.uploadstream.bench;

import io.uploadstream.upload.MultipartUploader;
import io.uploadstream.upload.UploadOutcome;
import io.uploadstream.upload.UploadSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.CRC32C;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The contenders without Kafka: the same files sent straight from this JVM with a fixed number of
 * uploads at once, either as plain PutObject calls (read, CRC32C header, put: the work the
 * processor does per small file, minus the pipeline) or through {@link MultipartUploader}.
 */
final class DirectUploads implements AutoCloseable {
  private final ExecutorService threads;

  DirectUploads(int concurrency) {
    this.threads = Executors.newFixedThreadPool(concurrency);
  }

  /** Seconds to PutObject every file under {@code prefix}. */
  double putAll(S3Client s3, List<Path> files, String prefix) throws InterruptedException {
    return timed(files, file -> put(s3, file, prefix + "/" + file.getFileName()));
  }

  /** Seconds to upload every file with {@code uploader} under {@code prefix}. */
  double uploadAll(MultipartUploader uploader, List<Path> files, String prefix)
      throws InterruptedException {
    return timed(
        files,
        file -> {
          String key = prefix + "/" + file.getFileName();
          UploadOutcome outcome =
              uploader.upload(
                  new UploadSpec(
                      key, file, Stack.BUCKET, key, "application/octet-stream", Map.of()));
          if (!(outcome instanceof UploadOutcome.UploadSucceeded)) {
            throw new IllegalStateException("upload of " + file + " failed: " + outcome);
          }
        });
  }

  private double timed(List<Path> files, FileTask task) throws InterruptedException {
    long start = System.nanoTime();
    List<Future<?>> done = new ArrayList<>();
    for (Path file : files) {
      done.add(
          threads.submit(
              () -> {
                task.run(file);
                return null;
              }));
    }
    for (Future<?> future : done) {
      try {
        future.get();
      } catch (ExecutionException e) {
        throw new IllegalStateException("direct upload failed", e.getCause());
      }
    }
    return (System.nanoTime() - start) / 1e9;
  }

  private static void put(S3Client s3, Path file, String key) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String crc32c = crc32c(bytes);
    s3.putObject(
        b ->
            b.bucket(Stack.BUCKET)
                .key(key)
                .contentType("application/octet-stream")
                .contentLength((long) bytes.length)
                .checksumCRC32C(crc32c),
        RequestBody.fromBytes(bytes));
  }

  private static String crc32c(byte[] bytes) {
    CRC32C crc = new CRC32C();
    crc.update(bytes);
    return Base64.getEncoder()
        .encodeToString(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
  }

  @Override
  public void close() {
    threads.shutdownNow();
  }

  @FunctionalInterface
  private interface FileTask {
    void run(Path file) throws Exception;
  }
}
