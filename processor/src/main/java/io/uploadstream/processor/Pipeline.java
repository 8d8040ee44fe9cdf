package io.uploadstream.processor;

import io.uploadstream.config.Settings;
import io.uploadstream.contract.RequestDecoder;
import io.uploadstream.keys.CdnUrls;
import io.uploadstream.upload.MultipartUploader;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import org.apache.kafka.clients.consumer.Consumer;

/**
 * This package's face to the composition root: the consumer loop with the upload jobs, the
 * dispatcher and the result records it drives, built from live clients the root made. {@link #run}
 * is the loop; it runs on the thread the root gives it and closes the consumer, the committer and
 * the workers when it ends.
 */
public final class Pipeline implements Runnable, AutoCloseable {
  private final ConsumerLoop loop;
  private final SourceDeleter deleter;

  private Pipeline(ConsumerLoop loop, SourceDeleter deleter) {
    this.loop = loop;
    this.deleter = deleter;
  }

  /**
   * The loop for {@code settings}, consuming with {@code consumer}, publishing with {@code
   * committer}, uploading with {@code uploader} on {@code workers} (one per upload in flight).
   *
   * @param deadLetterMaxBytes the dead-letter topic's {@code max.message.bytes}: a dead letter is
   *     cut to fit it
   */
  public static Pipeline assemble(
      Settings settings,
      Consumer<byte[], byte[]> consumer,
      ResultCommitter committer,
      MultipartUploader uploader,
      ExecutorService workers,
      ProcessorListener listener,
      int deadLetterMaxBytes) {
    Clock clock = Clock.systemUTC();
    ResultRecords records =
        new ResultRecords(
            settings.topics().results(),
            settings.topics().deadLetters(),
            "urn:upload-stream:" + settings.kafka().groupId(),
            Math.min(deadLetterMaxBytes, KafkaClients.maxRequestSize(settings)));
    Dispatcher dispatcher = new Dispatcher(settings.processor().uploadsInFlight(), workers);
    SourceDeleter deleter = new SourceDeleter(listener);
    return new Pipeline(
        new ConsumerLoop(
            consumer,
            settings.topics().requests(),
            new RequestDecoder(),
            uploadJob(settings, uploader, listener, clock, deleter),
            records,
            dispatcher,
            committer,
            listener,
            clock,
            LoopSettings.of(settings.processor())),
        deleter);
  }

  private static UploadJob uploadJob(
      Settings settings,
      MultipartUploader uploader,
      ProcessorListener listener,
      Clock clock,
      SourceDeleter deleter) {
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
        deleter);
  }

  /** {@code cdn.base-url}, else the S3 endpoint, else AWS's endpoint of the region. */
  private static CdnUrls cdnUrls(Settings settings) {
    String base = settings.cdn().baseUrl().orElseGet(settings.storage()::endpointUrl);
    return new CdnUrls(base, !settings.cdn().bucketInPath());
  }

  @Override
  public void run() {
    loop.run();
  }

  /**
   * Stops fetching; in-flight uploads get the shutdown grace to finish, the rest are handed over
   * (their multipart uploads kept for the next instance to resume).
   */
  public void stop() {
    loop.stop();
  }

  public boolean awaitStopped(Duration timeout) throws InterruptedException {
    return loop.awaitStopped(timeout);
  }

  /** Why the loop stopped on its own (a fatal Kafka error, a crashed job), if it did. */
  public Optional<Throwable> failure() {
    return Optional.ofNullable(loop.failure());
  }

  /**
   * Closes what the loop leaves behind: the source deleter, which lets the deletes its last commit
   * handed over finish. Called after the loop stopped.
   */
  @Override
  public void close() {
    deleter.close();
  }
}
