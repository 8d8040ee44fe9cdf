package io.uploadstream.bench;

import io.uploadstream.dev.EmbeddedS3;
import io.uploadstream.s3.S3Clients;
import io.uploadstream.upload.MultipartUploader;
import io.uploadstream.upload.UploadListener;
import io.uploadstream.upload.UploadOutcome;
import io.uploadstream.upload.UploadSpec;
import io.uploadstream.upload.UploaderSettings;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import jdk.jfr.Recording;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.transfer.s3.S3TransferManager;
import software.amazon.awssdk.transfer.s3.model.UploadFileRequest;

/**
 * One big file, in this JVM: upload-stream's {@link MultipartUploader} against the SDK's {@link
 * S3TransferManager} on the Netty-based multipart async client (S3Proxy 4 rejects the CRT client),
 * both with 8 MiB parts, 4 in flight and a CRC32C per part, on the same server. Each contender is
 * warmed up once, then they alternate, the order rotating every round.
 */
final class BigFileCase implements BenchCase {
  static final String NAME = "big file";
  static final String OURS = "upload-stream MultipartUploader (unsigned payload)";
  static final String OURS_SIGNED = "upload-stream MultipartUploader (signed payload, default)";
  static final String SDK = "S3TransferManager (Netty multipart client)";
  static final String OURS_APACHE4 = "upload-stream MultipartUploader (unsigned, Apache4 client)";

  private static final long PART_BYTES = UploaderSettings.DEFAULTS.partSizeBytes();
  private static final int PARTS_IN_FLIGHT = UploaderSettings.DEFAULTS.partsInFlight();

  private final Context ctx;

  BigFileCase(Context ctx) {
    this.ctx = ctx;
  }

  /** Writes the files of this case. */
  static void writeData(Plan plan, TestData data) {
    file(plan, data);
    warmupFile(plan, data);
  }

  static Path file(Plan plan, TestData data) {
    return data.file("big.bin", plan.bigFileBytes());
  }

  private static Path warmupFile(Plan plan, TestData data) {
    long warmupBytes = Math.min(plan.bigFileBytes(), plan.warmupBigFileBytes());
    return warmupBytes == plan.bigFileBytes()
        ? file(plan, data)
        : data.file("big-warmup.bin", warmupBytes);
  }

  @Override
  public boolean needsProcessors() {
    return false;
  }

  @Override
  public List<Series> run() throws InterruptedException {
    Path file = file(ctx.plan(), ctx.data());
    Path warmup = warmupFile(ctx.plan(), ctx.data());
    ExecutorService partThreads = Executors.newCachedThreadPool();
    List<AutoCloseable> clients = new ArrayList<>();
    try {
      S3Client unsigned =
          opened(clients, S3Clients.create(ctx.stack().connection(true, PARTS_IN_FLIGHT + 4)));
      S3Client signed =
          opened(clients, S3Clients.create(ctx.stack().connection(false, PARTS_IN_FLIGHT + 4)));
      S3AsyncClient async = opened(clients, asyncClient());
      S3TransferManager transferManager =
          opened(clients, S3TransferManager.builder().s3Client(async).build());
      Map<String, Upload> contenders = new LinkedHashMap<>();
      contenders.put(OURS, (source, key) -> ours(uploader(unsigned, partThreads), source, key));
      contenders.put(SDK, (source, key) -> sdk(transferManager, source, key));
      if (ctx.plan().signedContender()) {
        contenders.put(
            OURS_SIGNED, (source, key) -> ours(uploader(signed, partThreads), source, key));
      }
      if (ctx.experiments().contains("apache4")) {
        S3Client apache4 = opened(clients, apache4Client());
        contenders.put(
            OURS_APACHE4, (source, key) -> ours(uploader(apache4, partThreads), source, key));
      }
      return measure(contenders, file, warmup);
    } finally {
      partThreads.shutdownNow();
      // The Netty client waits out a quiet period of its event loops when closed: in the
      // background, while the next case starts (waiting costs no CPU).
      Collections.reverse(clients);
      Context.inBackground("closing the big-file clients", () -> closeAll(clients));
    }
  }

  private static <T extends AutoCloseable> T opened(List<AutoCloseable> clients, T client) {
    clients.add(client);
    return client;
  }

  private static void closeAll(List<AutoCloseable> clients) {
    for (AutoCloseable client : clients) {
      try {
        client.close();
      } catch (Exception e) {
        Context.log("closing " + client + ": " + e);
      }
    }
  }

  /**
   * Our uploader on the SDK's Apache HttpClient 4 client, which the processor used before it moved
   * to Apache 5 ({@code --experiment apache4}): what the move changed.
   */
  @SuppressWarnings("deprecation")
  private S3Client apache4Client() {
    return S3Clients.builder(ctx.stack().connection(true, PARTS_IN_FLIGHT + 4))
        .httpClientBuilder(
            software.amazon.awssdk.http.apache.ApacheHttpClient.builder()
                .maxConnections(PARTS_IN_FLIGHT + 4))
        .build();
  }

  private List<Series> measure(Map<String, Upload> contenders, Path file, Path warmup)
      throws InterruptedException {
    long bytes = PipelineDriver.size(file);
    Map<String, Samples> samples = new LinkedHashMap<>();
    contenders.keySet().forEach(name -> samples.put(name, new Samples()));
    for (Map.Entry<String, Upload> contender : contenders.entrySet()) {
      Context.log("  warm-up: " + contender.getKey());
      once(contender.getValue(), warmup, "warmup/big.bin", null);
    }
    ctx.beforeMeasuring();
    Recording recording = ctx.profile() ? Profiler.startHere() : null;
    List<String> order = new ArrayList<>(contenders.keySet());
    for (int round = 0; round < ctx.plan().iterations(); round++) {
      for (int i = 0; i < order.size(); i++) {
        String name = order.get((i + round) % order.size());
        once(contenders.get(name), file, "big/" + round + "/big.bin", samples.get(name));
        Samples s = samples.get(name);
        Context.log(
            String.format(
                "  round %d  %-58s %7.1f MB/s", round + 1, name, s.mbps.get(s.mbps.size() - 1)));
      }
    }
    if (recording != null) {
      Profiler.stopHere(recording, ctx.out().resolve("profile-big-file-bench-jvm.jfr"));
    }
    List<Series> series = new ArrayList<>();
    samples.forEach(
        (name, s) -> series.add(new Series(NAME, name, "MB/s", s.mbps, s.notes(bytes))));
    return series;
  }

  private void once(Upload upload, Path source, String key, Samples samples) {
    long bytes = PipelineDriver.size(source);
    long pid = ProcessHandle.current().pid();
    double clientCpu = ChildJvm.cpuSeconds(pid);
    double serverCpu = ctx.stack().s3CpuSeconds();
    long start = System.nanoTime();
    upload.send(source, key);
    double seconds = (System.nanoTime() - start) / 1e9;
    if (ctx.stack().objectSize(key) != bytes) {
      throw new IllegalStateException("stored object " + key + " has the wrong size");
    }
    if (samples != null) {
      samples.mbps.add(bytes / 1e6 / seconds);
      samples.clientCpu.add(ChildJvm.cpuSeconds(pid) - clientCpu);
      samples.serverCpu.add(ctx.stack().s3CpuSeconds() - serverCpu);
    }
    ctx.stack().deleteObjects(key);
  }

  private static MultipartUploader uploader(S3Client s3, ExecutorService partThreads) {
    return new MultipartUploader(
        s3, UploaderSettings.DEFAULTS, partThreads, UploadListener.NONE, Clock.systemUTC());
  }

  private static void ours(MultipartUploader uploader, Path file, String key) {
    try {
      UploadOutcome outcome =
          uploader.upload(
              new UploadSpec(
                  "bench", file, Stack.BUCKET, key, "application/octet-stream", Map.of()));
      if (!(outcome instanceof UploadOutcome.UploadSucceeded)) {
        throw new IllegalStateException("MultipartUploader failed: " + outcome);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private static void sdk(S3TransferManager transferManager, Path file, String key) {
    transferManager
        .uploadFile(
            UploadFileRequest.builder()
                .putObjectRequest(
                    b ->
                        b.bucket(Stack.BUCKET)
                            .key(key)
                            .contentType("application/octet-stream")
                            .checksumAlgorithm(ChecksumAlgorithm.CRC32_C))
                .source(file)
                .build())
        .completionFuture()
        .join();
  }

  /** The async client S3TransferManager runs on: 8 MiB parts, at most 4 requests in flight. */
  private S3AsyncClient asyncClient() {
    return S3AsyncClient.builder()
        .endpointOverride(ctx.stack().s3Endpoint())
        .region(Region.US_EAST_1)
        .forcePathStyle(true)
        .credentialsProvider(
            StaticCredentialsProvider.create(
                AwsBasicCredentials.create(
                    EmbeddedS3.DEFAULT_ACCESS_KEY, EmbeddedS3.DEFAULT_SECRET_KEY)))
        .httpClientBuilder(NettyNioAsyncHttpClient.builder().maxConcurrency(PARTS_IN_FLIGHT))
        .multipartEnabled(true)
        .multipartConfiguration(
            m ->
                m.minimumPartSizeInBytes(PART_BYTES)
                    .thresholdInBytes(PART_BYTES)
                    .apiCallBufferSizeInBytes(PART_BYTES * PARTS_IN_FLIGHT))
        .build();
  }

  @FunctionalInterface
  private interface Upload {
    void send(Path source, String key);
  }

  /** Per-round values of one contender. */
  private static final class Samples {
    final List<Double> mbps = new ArrayList<>();
    final List<Double> clientCpu = new ArrayList<>();
    final List<Double> serverCpu = new ArrayList<>();

    String notes(long bytes) {
      double gib = bytes / (1024.0 * 1024 * 1024);
      return String.format(
          "CPU s/GiB: client %.2f, S3 server %.2f",
          Series.percentile(clientCpu, 50) / gib, Series.percentile(serverCpu, 50) / gib);
    }
  }
}
