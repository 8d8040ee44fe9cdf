package io.uploadstream.contract;

/**
 * The headers of a dead letter: a record of the request topic that is not a valid request, copied
 * to the dead-letter topic byte for byte (or cut to fit, then {@link #TRUNCATED} and {@link
 * #ORIGINAL_SIZE} say so), with these headers saying why and where it came from. Values are UTF-8.
 */
public final class DeadLetterHeaders {
  /** A {@link DecodeResult.Reason} name, e.g. {@code SCHEMA_VIOLATION}. */
  public static final String REASON = "upload-stream.dlq.reason";

  /** What exactly is wrong, for people. */
  public static final String MESSAGE = "upload-stream.dlq.message";

  public static final String SOURCE_TOPIC = "upload-stream.dlq.source.topic";
  public static final String SOURCE_PARTITION = "upload-stream.dlq.source.partition";
  public static final String SOURCE_OFFSET = "upload-stream.dlq.source.offset";

  /** {@code true} when key or value (or copied headers) were cut to fit the topic. */
  public static final String TRUNCATED = "upload-stream.dlq.truncated";

  /** Key and value bytes of the record as received, when it was cut. */
  public static final String ORIGINAL_SIZE = "upload-stream.dlq.original-size";

  private DeadLetterHeaders() {}
}
