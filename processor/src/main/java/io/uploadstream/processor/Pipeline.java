package io.uploadstream.processor;

import io.uploadstream.config.Settings;
import io.uploadstream.keys.CdnUrls;
import io.uploadstream.upload.MultipartUploader;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ExecutorService;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.Producer;

/**
 * This package's face to the composition root: the consumer loop of each {@link Lane}, with the
 * upload jobs, dispatchers and result records they drive, built from live clients the root made
 * ({@link LaneClients}). {@link #start} runs each loop on a thread of its own; a loop closes its
 * lane's clients when it ends, and {@link #close} (after the loops stopped) closes the source
 * deleter.
 */
public final class Pipeline implements AutoCloseable {
  private final RequestLoops lanes; // the lanes, or the share-group members
  private final SourceDeleter deleter;

  private Pipeline(RequestLoops lanes, SourceDeleter deleter) {
    this.lanes = lanes;
    this.deleter = deleter;
  }

  /**
   * The loops for {@code settings}, one per lane in {@code clients}, uploading with {@code
   * uploader}.
   *
   * @param deadLetterMaxBytes the dead-letter topic's {@code max.message.bytes}: a dead letter is
   *     cut to fit it
   * @param deleteThread the one thread source files are deleted on; the pipeline owns it
   */
  public static Pipeline assemble(
      Settings settings,
      List<LaneClients> clients,
      MultipartUploader uploader,
      ProcessorListener listener,
      int deadLetterMaxBytes,
      ExecutorService deleteThread) {
    ResultRecords records =
        new ResultRecords(
            settings.topics().results(),
            settings.topics().deadLetters(),
            settings.topics().largeRequests(),
            "urn:upload-stream:" + settings.kafka().groupId(),
            Math.min(deadLetterMaxBytes, KafkaClients.maxRequestSize(settings)));
    SourceDeleter deleter = new SourceDeleter(listener, deleteThread);
    Lanes lanes =
        Lanes.build(
            settings,
            records,
            lane -> uploadJob(settings, uploader, listener, deleter, lane),
            clients,
            listener);
    return new Pipeline(lanes, deleter);
  }

  /**
   * Share consumption ({@code processor.consumption=share}): the share-group members instead of the
   * lanes. Their Kafka clients are built here ({@link ShareSetup}: the group configs must be set or
   * checked before any member joins); each is handed to {@code untilStarted}.
   *
   * @param activity the uploader's listener, telling whether an upload still progresses
   */
  public static Pipeline assembleShare(
      Settings settings,
      MultipartUploader uploader,
      UploadActivity activity,
      ProcessorListener listener,
      int deadLetterMaxBytes,
      ExecutorService deleteThread,
      Consumer<Producer<?, ?>> monitor,
      Consumer<AutoCloseable> untilStarted) {
    ResultRecords records =
        new ResultRecords(
            settings.topics().results(),
            settings.topics().deadLetters(),
            settings.topics().largeRequests(),
            "urn:upload-stream:" + settings.kafka().groupId(),
            Math.min(deadLetterMaxBytes, KafkaClients.maxRequestSize(settings)));
    SourceDeleter deleter = new SourceDeleter(listener, deleteThread);
    // A share group has no head-of-line blocking to avoid: no lanes, nothing handed off.
    UploadJob job = uploadJob(settings, uploader, listener, deleter, Lane.LARGE);
    ShareConsumption members =
        ShareSetup.build(settings, job, records, activity, listener, monitor, untilStarted);
    return new Pipeline(members, deleter);
  }

  /** The small lane's job hands files at or above the threshold to the large-file lane. */
  private static UploadJob uploadJob(
      Settings settings,
      MultipartUploader uploader,
      ProcessorListener listener,
      SourceDeleter deleter,
      Lane lane) {
    Clock clock = Clock.systemUTC();
    PathGuard guard =
        new PathGuard(settings.processor().allowedRoots(), settings.processor().maxFileSizeBytes());
    return new UploadJob(
        guard,
        uploader::upload,
        new StorageOutageWait(settings.processor().storageOutageWait(), clock, uploader::holdKey),
        settings.storage().bucket(),
        cdnUrls(settings),
        clock,
        listener,
        new RequestRules(settings.objects(), settings.processor().allowDelete()),
        uploader::findStored,
        deleter,
        lane == Lane.SMALL
            ? settings.processor().lanes().largeFileThresholdBytes()
            : OptionalLong.empty());
  }

  /** {@code cdn.base-url}, else the S3 endpoint, else AWS's endpoint of the region. */
  private static CdnUrls cdnUrls(Settings settings) {
    String base = settings.cdn().baseUrl().orElseGet(settings.storage()::endpointUrl);
    return new CdnUrls(base, !settings.cdn().bucketInPath());
  }

  /** Starts every lane's loop on its thread. */
  public void start() {
    lanes.start();
  }

  /** The loops' threads: the processor is live while every one is alive. */
  public List<Thread> threads() {
    return lanes.threads();
  }

  /**
   * Stops fetching; in-flight uploads get the shutdown grace to finish, the rest are handed over
   * (their multipart uploads kept for the next instance to resume).
   */
  public void stop() {
    lanes.stop();
  }

  public boolean awaitStopped(Duration timeout) throws InterruptedException {
    return lanes.awaitStopped(timeout);
  }

  /** Why a loop stopped on its own (a fatal Kafka error, a crashed job), if one did. */
  public Optional<Throwable> failure() {
    return Optional.ofNullable(lanes.failure());
  }

  /** Whether every loop runs. */
  public boolean isRunning() {
    return lanes.isRunning();
  }

  /**
   * Closes what the loops leave behind: the source deleter, which lets the deletes their last
   * commits handed over finish. Called after the loops stopped.
   */
  @Override
  public void close() {
    deleter.close();
  }
}
