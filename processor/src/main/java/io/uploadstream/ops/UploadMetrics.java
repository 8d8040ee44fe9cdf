package io.uploadstream.ops;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import io.uploadstream.contract.UploadResult;
import io.uploadstream.processor.Lane;
import io.uploadstream.processor.ProcessorListener;
import io.uploadstream.processor.ShareRecordEvent;
import io.uploadstream.processor.SourceOutcome;
import io.uploadstream.upload.UploadListener;
import io.uploadstream.upload.UploadSpec;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Records what the processor and the uploader report as meters named in {@link MeterNames}. Cheap
 * and thread-safe: the loop thread, upload workers and part threads all call it.
 */
public final class UploadMetrics implements ProcessorListener, UploadListener {
  private static final double[] PERCENTILES = {0.5, 0.95, 0.99};
  private static final String SECONDS = "seconds";
  private static final String SUCCEEDED = "succeeded";
  private static final String FAILED = "failed";
  private static final String NONE = "NONE";

  private final MeterRegistry registry;
  private final AtomicInteger uploadsInFlight = new AtomicInteger();
  private final AtomicInteger partsInFlight = new AtomicInteger();
  private final PendingBytes pendingBytes = new PendingBytes();
  private final Counter uploadBytes;
  private final Counter parts;
  private final Counter partRetries;
  private final Counter progressDropped;
  private final Counter handOffs;
  private final Map<String, Timer> durations = new ConcurrentHashMap<>();
  private final Map<String, Counter> requests = new ConcurrentHashMap<>();
  private final Map<ShareRecordEvent, Counter> shareRecords = new ConcurrentHashMap<>();
  private final AtomicLong sharePending = new AtomicLong(-1); // -1: no gauge yet

  public UploadMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.uploadBytes =
        Counter.builder(MeterNames.UPLOAD_BYTES)
            .description("Bytes stored: parts the store acknowledged")
            .baseUnit(MeterNames.BYTES)
            .register(registry);
    this.parts =
        Counter.builder(MeterNames.PARTS)
            .description("Parts stored (a single PutObject counts as one)")
            .register(registry);
    this.partRetries =
        Counter.builder(MeterNames.PART_RETRIES)
            .description("Part attempts that failed with a retryable error and were retried")
            .register(registry);
    this.handOffs =
        Counter.builder(MeterNames.HANDOFFS)
            .description("Requests handed to the large-file lane")
            .register(registry);
    this.progressDropped =
        Counter.builder(MeterNames.PROGRESS_DROPPED)
            .description("Progress events dropped: buffer full or send failed")
            .register(registry);
    Gauge.builder(MeterNames.UPLOADS_IN_FLIGHT, uploadsInFlight, AtomicInteger::get)
        .description("Uploads running now")
        .register(registry);
    Gauge.builder(MeterNames.PARTS_IN_FLIGHT, partsInFlight, AtomicInteger::get)
        .description("Parts being sent now")
        .register(registry);
    Gauge.builder(MeterNames.PENDING_BYTES, pendingBytes, PendingBytes::total)
        .description("Bytes of running uploads not stored yet")
        .baseUnit(MeterNames.BYTES)
        .register(registry);
    for (Lane lane : Lane.values()) {
      duration(SUCCEEDED, lane);
      duration(FAILED, lane);
      requests(SUCCEEDED, NONE, lane);
    }
  }

  @Override
  public void resultCommitted(UploadResult result, Lane lane) {
    String outcome = result.status().name().toLowerCase(Locale.ROOT);
    String code = result.error() == null ? NONE : result.error().code().name();
    requests(outcome, code, lane).increment();
    if (result.startedAt() != null && result.completedAt() != null) {
      // At least 1 ns, so a sample in the window always shows in its max (see valueAt): a refusal
      // answered at once has startedAt == completedAt.
      Duration took = Duration.between(result.startedAt(), result.completedAt());
      duration(outcome, lane)
          .record(took.isNegative() || took.isZero() ? Duration.ofNanos(1) : took);
    }
  }

  @Override
  public void handedOff(String requestId, long sizeBytes) {
    handOffs.increment();
  }

  @Override
  public void deadLettered(String reason) {
    Counter.builder(MeterNames.DEAD_LETTERS)
        .description("Records sent to the dead-letter topic")
        .tag(MeterNames.REASON, reason)
        .register(registry)
        .increment();
  }

  @Override
  public void shareRecord(ShareRecordEvent event) {
    shareRecords
        .computeIfAbsent(
            event,
            e ->
                Counter.builder(MeterNames.SHARE_RECORDS)
                    .description(
                        "Share group records acquired, renewed, accepted, released, rejected, or"
                            + " whose lock was lost")
                    .tag(MeterNames.EVENT, e.tagValue())
                    .register(registry))
        .increment();
  }

  /** Registered on the first report: absent, not 0, from a processor in group consumption. */
  @Override
  public void sharePending(long records) {
    if (sharePending.getAndSet(records) < 0) {
      Gauge.builder(MeterNames.SHARE_PENDING_RECORDS, sharePending, AtomicLong::get)
          .description(
              "Records the share group has not finished (waiting or held), as its coordinator"
                  + " reports them")
          .register(registry);
    }
  }

  @Override
  public void sourceFileHandled(String requestId, SourceOutcome outcome) {
    Counter.builder(MeterNames.SOURCE_FILES)
        .description("Source files of afterUpload=delete requests, by what their delete did")
        .tag(MeterNames.OUTCOME, outcome.name().toLowerCase(Locale.ROOT))
        .register(registry)
        .increment();
  }

  @Override
  public void uploadStarted(String requestId, long sizeBytes) {
    uploadsInFlight.incrementAndGet();
    pendingBytes.started(requestId, sizeBytes);
  }

  @Override
  public void uploadEnded(String requestId) {
    uploadsInFlight.decrementAndGet();
    pendingBytes.ended(requestId);
  }

  @Override
  public void partStarted(UploadSpec spec, int partNumber, long sizeBytes) {
    partsInFlight.incrementAndGet();
  }

  @Override
  public void partUploaded(
      UploadSpec spec, int partNumber, long sizeBytes, long bytesDone, long totalBytes) {
    parts.increment();
    uploadBytes.increment((double) sizeBytes);
    pendingBytes.stored(spec.requestId(), sizeBytes);
  }

  @Override
  public void partRetried(UploadSpec spec, int partNumber, int attempt, Throwable cause) {
    partRetries.increment();
  }

  @Override
  public void partFinished(UploadSpec spec, int partNumber) {
    partsInFlight.decrementAndGet();
  }

  /** A progress event could not be sent; progress is best-effort. */
  public void progressDropped() {
    progressDropped.increment();
  }

  /** Looked up once per combination: registering again on every result costs a tag hash each. */
  private Counter requests(String outcome, String code, Lane lane) {
    return requests.computeIfAbsent(
        outcome + ' ' + code + ' ' + lane,
        key ->
            Counter.builder(MeterNames.REQUESTS)
                .description("Requests with a committed result")
                .tag(MeterNames.OUTCOME, outcome)
                .tag(MeterNames.CODE, code)
                .tag(MeterNames.LANE, lane.tag())
                .register(registry));
  }

  private Timer duration(String outcome, Lane lane) {
    return durations.computeIfAbsent(outcome + ' ' + lane, key -> registerDuration(outcome, lane));
  }

  /**
   * The Prometheus registry renders a timer with a histogram as a Prometheus histogram and leaves
   * its client-side percentiles out (one metric family cannot be both), so they are published as
   * gauges of their own beside it.
   */
  private Timer registerDuration(String outcome, Lane lane) {
    Timer timer =
        Timer.builder(MeterNames.UPLOAD_DURATION)
            .description("Time from a request's start to its result")
            .tag(MeterNames.OUTCOME, outcome)
            .tag(MeterNames.LANE, lane.tag())
            .publishPercentiles(PERCENTILES)
            .publishPercentileHistogram()
            .minimumExpectedValue(Duration.ofMillis(10))
            .maximumExpectedValue(Duration.ofHours(2))
            .register(registry);
    for (double percentile : PERCENTILES) {
      Gauge.builder(MeterNames.UPLOAD_DURATION_PERCENTILE, timer, t -> valueAt(t, percentile))
          .description("Time from a request's start to its result, at a percentile")
          .tag(MeterNames.OUTCOME, outcome)
          .tag(MeterNames.LANE, lane.tag())
          .tag(MeterNames.QUANTILE, Double.toString(percentile))
          .baseUnit(SECONDS)
          .register(registry);
    }
    return timer;
  }

  /**
   * The percentile over the timer's window, or NaN when the window holds no sample (its max is 0):
   * the series is then left out of the scrape instead of reading 0.0.
   */
  private static double valueAt(Timer timer, double percentile) {
    if (timer.max(TimeUnit.SECONDS) == 0) {
      return Double.NaN;
    }
    for (ValueAtPercentile value : timer.takeSnapshot().percentileValues()) {
      if (value.percentile() == percentile) {
        return value.value(TimeUnit.SECONDS);
      }
    }
    return Double.NaN;
  }
}
