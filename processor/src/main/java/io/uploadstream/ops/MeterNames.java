package io.uploadstream.ops;

/**
 * Every meter name and tag key upload-stream records, in Micrometer's dotted form with base units.
 * The Prometheus registry renders them as {@code uploadstream_requests_total}, {@code
 * uploadstream_upload_duration_seconds} and so on; dashboards and autoscalers depend on those
 * rendered names, so a rename here is a breaking change.
 */
public final class MeterNames {
  /** Counter of committed results; tags {@link #OUTCOME}, {@link #CODE} and {@link #LANE}. */
  public static final String REQUESTS = "uploadstream.requests";

  /** Counter of requests handed to the large-file lane (committed with their record's offset). */
  public static final String HANDOFFS = "uploadstream.handoffs";

  /** Counter of records sent to the dead-letter topic; tag {@link #REASON}. */
  public static final String DEAD_LETTERS = "uploadstream.dead.letters";

  /** Timer from a request's start to its result; tags {@link #OUTCOME} and {@link #LANE}. */
  public static final String UPLOAD_DURATION = "uploadstream.upload.duration";

  /**
   * Gauges of {@link #UPLOAD_DURATION}'s client-side percentiles (0.5, 0.95, 0.99 over the last two
   * minutes), base unit seconds; tags {@link #OUTCOME} and {@link #QUANTILE}.
   */
  public static final String UPLOAD_DURATION_PERCENTILE = "uploadstream.upload.duration.percentile";

  /** Counter of bytes stored (parts the store acknowledged), base unit bytes. */
  public static final String UPLOAD_BYTES = "uploadstream.upload.bytes";

  /** Counter of parts stored (a single PutObject counts as one part). */
  public static final String PARTS = "uploadstream.parts";

  /** Counter of part attempts that failed with a retryable error and were tried again. */
  public static final String PART_RETRIES = "uploadstream.part.retries";

  /** Gauge of uploads running now. */
  public static final String UPLOADS_IN_FLIGHT = "uploadstream.uploads.in.flight";

  /** Gauge of parts being sent now. */
  public static final String PARTS_IN_FLIGHT = "uploadstream.parts.in.flight";

  /** Gauge of bytes of running uploads not stored yet, base unit bytes. */
  public static final String PENDING_BYTES = "uploadstream.pending.bytes";

  /** Counter of progress events dropped (buffer full or send failed). */
  public static final String PROGRESS_DROPPED = "uploadstream.progress.dropped";

  /**
   * Counter of share-group records by what happened to them (share consumption); tag {@link
   * #EVENT}.
   */
  public static final String SHARE_RECORDS = "uploadstream.share.records";

  /**
   * Gauge of records the share group has not finished, waiting or held (share consumption): the
   * group's backlog as its coordinator reports it, the same on every instance; scale on it.
   */
  public static final String SHARE_PENDING_RECORDS = "uploadstream.share.pending.records";

  /**
   * Counter of source files of {@code afterUpload=delete} requests handled after their result was
   * committed; tag {@link #OUTCOME}: {@code deleted}, {@code changed}, {@code gone}, {@code
   * refused} or {@code failed}.
   */
  public static final String SOURCE_FILES = "uploadstream.source.files";

  /** {@code succeeded} or {@code failed} (of a source file's delete: what it did). */
  public static final String OUTCOME = "outcome";

  /** Which loop served the request: {@code small} or {@code large} (the large-file lane). */
  public static final String LANE = "lane";

  /** The result's error code, {@code NONE} for a success. */
  public static final String CODE = "code";

  /** The dead letter's reason word, e.g. {@code INVALID_JSON}. */
  public static final String REASON = "reason";

  /**
   * What happened to a share-group record: {@code acquired}, {@code renewed}, {@code lock_lost}...
   */
  public static final String EVENT = "event";

  /** The percentile of {@link #UPLOAD_DURATION_PERCENTILE}, e.g. {@code 0.95}. */
  public static final String QUANTILE = "quantile";

  static final String BYTES = "bytes";

  private MeterNames() {}
}
