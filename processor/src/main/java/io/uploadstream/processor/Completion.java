package io.uploadstream.processor;

import io.uploadstream.contract.UploadResult;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * A record's work is over, one of three ways: {@link Published} (its result, or its dead letter and
 * maybe a result answering it, or the request handed to the large-file lane, to publish before its
 * offset may be committed), {@link Abandoned} (cancelled on revocation or shutdown: nothing to
 * publish, its offset not released) or {@link Crashed} (the job threw where it must not). The loop
 * handles each through {@link #handle}, so a new kind is a compile error there, not a state nobody
 * checks.
 */
sealed interface Completion {

  OffsetTracker.Epoch epoch();

  long offset();

  /** Runs the case of this completion. */
  void handle(Cases cases);

  /** What the loop does with each kind of completion. */
  interface Cases {
    void published(Published completion);

    void abandoned(Abandoned completion);

    void crashed(Crashed completion);
  }

  /**
   * The records to publish for the record at {@code offset}; {@code result} answers a request;
   * {@code handedOff} is the request handed to the large-file lane by this record, if it was;
   * {@code afterCommit} is the source file to delete once the records are committed, never before.
   */
  record Published(
      OffsetTracker.Epoch epoch,
      long offset,
      List<ProducerRecord<byte[], byte[]>> records,
      Optional<UploadResult> result,
      Optional<JobOutcome.HandedOff> handedOff,
      Optional<SourceDeletion> afterCommit)
      implements Completion {
    public Published {
      records = List.copyOf(records);
    }

    @Override
    public void handle(Cases cases) {
      cases.published(this);
    }
  }

  /** Cancelled: the record stays uncommitted, for its next owner to run again. */
  record Abandoned(OffsetTracker.Epoch epoch, long offset) implements Completion {
    @Override
    public void handle(Cases cases) {
      cases.abandoned(this);
    }
  }

  /** The job threw where it must not (a bug): the loop stops loudly rather than freeze. */
  record Crashed(OffsetTracker.Epoch epoch, long offset, Throwable crash) implements Completion {
    @Override
    public void handle(Cases cases) {
      cases.crashed(this);
    }
  }

  /** A result whose request's source file is deleted once it is committed. */
  static Published published(
      OffsetTracker.Epoch epoch,
      long offset,
      ProducerRecord<byte[], byte[]> record,
      UploadResult result,
      Optional<SourceDeletion> afterCommit) {
    return new Published(
        epoch, offset, List.of(record), Optional.of(result), Optional.empty(), afterCommit);
  }

  static Published published(
      OffsetTracker.Epoch epoch,
      long offset,
      ProducerRecord<byte[], byte[]> record,
      UploadResult result) {
    return published(epoch, offset, List.of(record), result);
  }

  /** Several records for one source record, e.g. a dead letter and the result that answers it. */
  static Published published(
      OffsetTracker.Epoch epoch,
      long offset,
      List<ProducerRecord<byte[], byte[]>> records,
      UploadResult result) {
    return new Published(
        epoch, offset, records, Optional.ofNullable(result), Optional.empty(), Optional.empty());
  }

  /** The request goes on to the large-file lane in {@code record}, with this record's offset. */
  static Published handedOff(
      OffsetTracker.Epoch epoch,
      long offset,
      ProducerRecord<byte[], byte[]> record,
      JobOutcome.HandedOff handOff) {
    return new Published(
        epoch, offset, List.of(record), Optional.empty(), Optional.of(handOff), Optional.empty());
  }

  static Abandoned abandoned(OffsetTracker.Epoch epoch, long offset) {
    return new Abandoned(epoch, offset);
  }

  static Crashed crashed(OffsetTracker.Epoch epoch, long offset, Throwable crash) {
    return new Crashed(epoch, offset, crash);
  }
}
