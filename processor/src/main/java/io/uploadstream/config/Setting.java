package io.uploadstream.config;

import io.uploadstream.client.ClientSetting;
import java.util.Locale;

/**
 * Every setting the processor and the CLI read: its property name, default and meaning (those the
 * client library reads too come from {@link ClientSetting}). The README table, the docker-compose
 * file and the Kubernetes manifests are checked against this list. Any other {@code kafka.*}
 * property passes through to the Kafka clients unchanged (TLS, SASL).
 */
public enum Setting {
  KAFKA_BOOTSTRAP_SERVERS(ClientSetting.KAFKA_BOOTSTRAP_SERVERS),
  KAFKA_GROUP_ID(ClientSetting.KAFKA_GROUP_ID),
  TOPIC_REQUESTS(ClientSetting.TOPIC_REQUESTS),
  TOPIC_RESULTS(ClientSetting.TOPIC_RESULTS),
  TOPIC_LARGE_REQUESTS(ClientSetting.TOPIC_LARGE_REQUESTS),
  TOPIC_DEAD_LETTERS(ClientSetting.TOPIC_DEAD_LETTERS),
  TOPIC_PROGRESS(ClientSetting.TOPIC_PROGRESS),
  S3_ENDPOINT("s3.endpoint", "", "S3 API endpoint (MinIO, S3Proxy...); empty: AWS S3."),
  S3_REGION("s3.region", "us-east-1", "S3 region (signing region for other stores)."),
  S3_PATH_STYLE("s3.path-style", "false", "Path-style bucket addressing (MinIO needs true)."),
  S3_BUCKET("s3.bucket", null, "Bucket the files go to. Required."),
  S3_ACCESS_KEY(
      "s3.access-key", "", "Static access key; empty: the AWS default credentials chain."),
  S3_SECRET_KEY("s3.secret-key", "", "Static secret key (with s3.access-key)."),
  S3_FLEXIBLE_CHECKSUMS(
      "s3.flexible-checksums",
      "true",
      "Let the SDK add its default checksums; false for stores that reject them."),
  S3_UNSIGNED_PAYLOAD(
      "s3.unsigned-payload",
      "false",
      "Over plain HTTP, skip SigV4 payload signing (the part checksum header still protects"
          + " integrity); only on trusted networks."),
  S3_CONDITIONAL_WRITES(
      "s3.conditional-writes",
      "true",
      "Writes carry If-None-Match/If-Match, so the store itself refuses to overwrite another"
          + " request's object; false for stores without conditional writes (a HEAD before each"
          + " write decides, leaving a race window of milliseconds)."),
  S3_SSE(
      "s3.sse",
      "none",
      "Server-side encryption of every object: none (the bucket's default), AES256 (SSE-S3) or"
          + " aws:kms (SSE-KMS)."),
  S3_SSE_KMS_KEY_ID(
      "s3.sse-kms-key-id",
      "",
      "KMS key (id, ARN or alias) for s3.sse=aws:kms; empty: the AWS-managed key. Never shown in"
          + " logs or results."),
  S3_TRUST_STORE(
      "s3.trust-store", "", "PKCS12/JKS trust store for an HTTPS endpoint with a private CA."),
  S3_TRUST_STORE_PASSWORD("s3.trust-store-password", "", "Password of s3.trust-store."),
  CDN_BASE_URL("cdn.base-url", "", "Base of the CDN URL in results; empty: the S3 endpoint's URL."),
  CDN_BUCKET_IN_PATH(
      "cdn.bucket-in-path",
      "true",
      "URL is {cdn}/{bucket}/{key}; false when the CDN serves the bucket at its root."),
  UPLOAD_PART_SIZE(
      "upload.part-size", "8MiB", "Preferred part size (min 5MiB; grown for huge files)."),
  UPLOAD_PARTS_IN_FLIGHT("upload.parts-in-flight", "4", "Parts of one file sent at once."),
  UPLOAD_CHECKSUM(
      "upload.checksum", "CRC32C", "Per-part checksum the store verifies: CRC32C, MD5."),
  UPLOAD_ON_KEY_CONFLICT(
      "upload.on-key-conflict",
      "fail",
      "When the key holds another request's object: fail (KEY_CONFLICT), rename (a key unique to"
          + " the request) or overwrite it."),
  UPLOAD_CACHE_CONTROL(
      "upload.cache-control",
      "",
      "Cache-Control of every object whose request sets none, e.g. public, max-age=31536000;"
          + " empty: no header."),
  UPLOAD_CONTENT_DISPOSITION(
      "upload.content-disposition",
      "",
      "Content-Disposition of every object whose request sets none, e.g. inline; empty: no"
          + " header."),
  UPLOAD_STORAGE_CLASS(
      "upload.storage-class",
      "",
      "Storage class of every object whose request sets none, e.g. STANDARD_IA; empty: the"
          + " bucket's default."),
  UPLOAD_ALLOWED_STORAGE_CLASSES(
      "upload.allowed-storage-classes",
      "",
      "Comma-separated storage classes a request's storageClass may name (besides"
          + " upload.storage-class); empty: requests may not choose."),
  UPLOAD_TAGS(
      "upload.tags",
      "",
      "Tags of every object, key=value[,key=value...] (S3 limits: 10 tags, key 128, value 256"
          + " characters); a request's tags win for a key both name."),
  UPLOAD_MAX_FILE_SIZE(
      "upload.max-file-size", "5TiB", "Larger files are refused with FILE_TOO_LARGE."),
  UPLOAD_RETRY_MAX_ATTEMPTS(
      "upload.retry.max-attempts", "8", "Attempts per part (first try included)."),
  UPLOAD_RETRY_INITIAL_BACKOFF(
      "upload.retry.initial-backoff", "200ms", "Backoff before the first part retry."),
  UPLOAD_RETRY_MAX_BACKOFF("upload.retry.max-backoff", "10s", "Longest backoff between retries."),
  UPLOAD_RETRY_MULTIPLIER("upload.retry.multiplier", "2.0", "Backoff growth per attempt."),
  PROCESSOR_UPLOADS_IN_FLIGHT(
      "processor.uploads-in-flight", "8", "Uploads one processor runs at once."),
  PROCESSOR_LARGE_FILE_THRESHOLD(
      "processor.large-file-threshold",
      "16MiB",
      "Requests for files at least this large are handed, in the same transaction as their"
          + " offset, to topics.large-requests, so small files never wait behind them; off: one"
          + " lane for all."),
  PROCESSOR_LARGE_UPLOADS_IN_FLIGHT(
      "processor.large-uploads-in-flight",
      "2",
      "Uploads of large files one processor runs at once, beside processor.uploads-in-flight."),
  PROCESSOR_ALLOWED_ROOTS(
      "processor.allowed-roots",
      null,
      "Comma-separated directories files may be read from. Required."),
  PROCESSOR_ALLOW_DELETE(
      "processor.allow-delete",
      "false",
      "Whether requests may ask for afterUpload=delete: their file is deleted once the result is"
          + " committed, if unchanged and inside the allowed roots."),
  PROCESSOR_CONSUMPTION(
      "processor.consumption",
      "group",
      "group: a consumer group (exactly-once results, at most one busy instance per partition);"
          + " share: a share group (Kafka queues: every instance takes records of every"
          + " partition, at-least-once results)."),
  PROCESSOR_DELIVERY(
      "processor.delivery",
      "exactly-once",
      "Result delivery: exactly-once or at-least-once (share consumption: always at-least-once)."),
  PROCESSOR_SHUTDOWN_GRACE(
      "processor.shutdown-grace",
      "30s",
      "On SIGTERM, time in-flight uploads get to finish; the rest are kept for the next instance"
          + " to resume."),
  PROCESSOR_REVOCATION_GRACE(
      "processor.revocation-grace",
      "5s",
      "When a rebalance moves a partition away, time its uploads get to finish (the group waits);"
          + " the rest are kept for the new owner to resume. At most 2m."),
  PROCESSOR_MAX_HELD_BYTES(
      "processor.max-held-bytes",
      "32MiB",
      "Results and dead letters waiting behind unfinished uploads (exactly-once) are held up to"
          + " this many bytes; beyond it the partition pauses. With size lanes the large-file"
          + " lane holds an eighth of it."),
  PROCESSOR_COMMIT_INTERVAL(
      "processor.commit-interval",
      "100ms",
      "Under load, results and offsets are committed at most this often (one transaction for"
          + " many uploads); the wait shrinks with the share of busy upload slots, to none when"
          + " nothing else runs."),
  PROCESSOR_STORAGE_OUTAGE_WAIT(
      "processor.storage-outage-wait",
      "10m",
      "While the store is down, retry an upload for this long (consumption pauses) before"
          + " answering STORAGE_ERROR retryable=true; 0s: answer at once."),
  PROCESSOR_INSTANCE_ID(
      "processor.instance-id",
      "",
      "Stable id of this instance (transactional id); empty: host name and process id."),
  SHARE_LOCK_DURATION(
      "share.lock-duration",
      "",
      "Share mode: the acquisition lock set on the share group (share.record.lock.duration.ms);"
          + " renewed every third of it while an upload progresses; empty: the broker's default"
          + " (30s)."),
  SHARE_DELIVERY_LIMIT(
      "share.delivery-limit",
      "5",
      "Share mode: the group's share.delivery.count.limit (2-10); the delivery with this number"
          + " is answered FAILED DELIVERY_LIMIT_REACHED and dead-lettered without an attempt."),
  SHARE_SET_GROUP_CONFIGS(
      "share.set-group-configs",
      "true",
      "Share mode: set the group configs the processor needs at start (needs ALTER_CONFIGS on the"
          + " group); false: only check them and refuse to start if they differ."),
  SHARE_STALL_TIMEOUT(
      "share.stall-timeout",
      "5m",
      "Share mode: an upload that started, stored or retried no part for this long stops renewing"
          + " its lock: it is stopped (its multipart upload kept) and its record released to"
          + " another member."),
  JANITOR_INTERVAL(
      "janitor.interval",
      "1h",
      "How often abandoned multipart uploads are looked for and aborted; 0: never."),
  JANITOR_MAX_AGE(
      "janitor.max-age",
      "24h",
      "Incomplete multipart uploads with no part stored for this long (no part: initiated this"
          + " long ago) are aborted (min 1h; must exceed the longest pause between two parts)."),
  JANITOR_PREFIXES(
      "janitor.prefixes",
      "",
      "Comma-separated key prefixes the janitor cleans (tmp: tmp/...); empty: the whole bucket."),
  CLIENT_CONNECT_TIMEOUT(ClientSetting.CLIENT_CONNECT_TIMEOUT),
  METRICS_PORT(
      "metrics.port", "9400", "Port of /metrics and /health/*; 0 picks a free port, -1 off."),
  LOG_FORMAT("log.format", "text", "Log format: text or json.");

  private final String key;
  private final String defaultValue;
  private final String description;

  Setting(String key, String defaultValue, String description) {
    this.key = key;
    this.defaultValue = defaultValue;
    this.description = description;
  }

  /** A setting the client side reads too: defined there, listed here. */
  Setting(ClientSetting shared) {
    this(shared.key(), shared.defaultValue(), shared.description());
  }

  /** The property name, e.g. {@code s3.bucket}. */
  public String key() {
    return key;
  }

  /** The default, or {@code null} when the setting is required. */
  public String defaultValue() {
    return defaultValue;
  }

  public String description() {
    return description;
  }

  /** Whether the value is a credential, masked wherever settings are shown. */
  public boolean secret() {
    return this == S3_SECRET_KEY || this == S3_TRUST_STORE_PASSWORD || this == S3_SSE_KMS_KEY_ID;
  }

  public boolean required() {
    return defaultValue == null;
  }

  /** The environment variable that overrides the property, e.g. {@code UPLOAD_STREAM_S3_BUCKET}. */
  public String envName() {
    return envName(key);
  }

  static String envName(String key) {
    return "UPLOAD_STREAM_" + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }
}
