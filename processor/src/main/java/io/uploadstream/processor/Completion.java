package io.uploadstream.processor;

import io.uploadstream.contract.UploadResult;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * A record's work is over: the records to publish for it (its result, or its dead letter and maybe
 * a result answering it, or the request handed to the large-file lane) before its offset may be
 * committed. An abandoned job (cancelled on revocation or shutdown) publishes nothing and does not
 * release its offset.
 *
 * @param handedOff the request handed to the large-file lane by this record, if it was
 * @param afterCommit the source file to delete once the records are committed, never before
 */
record Completion(
    OffsetTracker.Epoch epoch,
    long offset,
    List<ProducerRecord<byte[], byte[]>> records,
    Optional<UploadResult> result,
    Optional<JobOutcome.HandedOff> handedOff,
    boolean abandoned,
    Throwable crash,
    Optional<SourceDeletion> afterCommit) {

  Completion {
    records = List.copyOf(records);
  }

  Completion(
      OffsetTracker.Epoch epoch,
      long offset,
      List<ProducerRecord<byte[], byte[]>> records,
      Optional<UploadResult> result,
      Optional<JobOutcome.HandedOff> handedOff,
      boolean abandoned,
      Throwable crash) {
    this(epoch, offset, records, result, handedOff, abandoned, crash, Optional.empty());
  }

  /** A result whose request's source file is deleted once it is committed. */
  static Completion published(
      OffsetTracker.Epoch epoch,
      long offset,
      ProducerRecord<byte[], byte[]> record,
      UploadResult result,
      Optional<SourceDeletion> afterCommit) {
    return new Completion(
        epoch,
        offset,
        List.of(record),
        Optional.of(result),
        Optional.empty(),
        false,
        null,
        afterCommit);
  }

  static Completion published(
      OffsetTracker.Epoch epoch,
      long offset,
      ProducerRecord<byte[], byte[]> record,
      UploadResult result) {
    return published(epoch, offset, List.of(record), result);
  }

  /** Several records for one source record, e.g. a dead letter and the result that answers it. */
  static Completion published(
      OffsetTracker.Epoch epoch,
      long offset,
      List<ProducerRecord<byte[], byte[]>> records,
      UploadResult result) {
    return new Completion(
        epoch, offset, records, Optional.ofNullable(result), Optional.empty(), false, null);
  }

  /** The request goes on to the large-file lane in {@code record}, with this record's offset. */
  static Completion handedOff(
      OffsetTracker.Epoch epoch,
      long offset,
      ProducerRecord<byte[], byte[]> record,
      JobOutcome.HandedOff handOff) {
    return new Completion(
        epoch, offset, List.of(record), Optional.empty(), Optional.of(handOff), false, null);
  }

  static Completion abandoned(OffsetTracker.Epoch epoch, long offset) {
    return new Completion(epoch, offset, List.of(), Optional.empty(), Optional.empty(), true, null);
  }

  /** The job threw where it must not (a bug): the loop stops loudly rather than freeze. */
  static Completion crashed(OffsetTracker.Epoch epoch, long offset, Throwable crash) {
    return new Completion(
        epoch, offset, List.of(), Optional.empty(), Optional.empty(), true, crash);
  }
}
