package io.uploadstream.client;

import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * A record the processor could not read as a request, as the dead-letter topic holds it: why
 * ({@code reason}, e.g. {@code SCHEMA_VIOLATION}, and {@code message}), where it came from (topic,
 * partition, offset of the request record) and the record itself. A record written by something
 * else than a processor has no reason: {@code reason} and {@code message} are then empty.
 */
// The record's bytes are what a dead letter is: copied in, copied out by the accessors, compared
// by content in equals, so the array components keep none of the pitfalls the check warns of.
@SuppressWarnings("ArrayRecordComponent")
public record DeadLetter(
    Optional<String> reason,
    Optional<String> message,
    Optional<String> sourceTopic,
    Optional<Integer> sourcePartition,
    Optional<Long> sourceOffset,
    boolean truncated,
    byte[] key,
    byte[] value) {

  public DeadLetter {
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(sourceTopic, "sourceTopic");
    Objects.requireNonNull(sourcePartition, "sourcePartition");
    Objects.requireNonNull(sourceOffset, "sourceOffset");
    key = key == null ? null : key.clone();
    value = value == null ? null : value.clone();
  }

  /** {@code upload-requests-0@42}, or empty when the headers do not say. */
  public Optional<String> source() {
    if (sourceTopic.isEmpty() || sourcePartition.isEmpty() || sourceOffset.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(sourceTopic.get() + "-" + sourcePartition.get() + "@" + sourceOffset.get());
  }

  @Override
  public byte[] key() {
    return key == null ? null : key.clone();
  }

  @Override
  public byte[] value() {
    return value == null ? null : value.clone();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof DeadLetter that
        && reason.equals(that.reason)
        && message.equals(that.message)
        && source().equals(that.source())
        && truncated == that.truncated
        && Arrays.equals(key, that.key)
        && Arrays.equals(value, that.value);
  }

  @Override
  public int hashCode() {
    return Objects.hash(reason, message, source(), truncated, Arrays.hashCode(value));
  }

  @Override
  public String toString() {
    return "DeadLetter[" + source().orElse("?") + " " + reason.orElse("?") + "]";
  }
}
