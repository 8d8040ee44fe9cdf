package io.uploadstream.processor;

import io.uploadstream.contract.UploadResult;
import java.time.Duration;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;

/**
 * Observes the processor (metrics, health, logs) so the loop never imports a metrics library.
 * Called from the loop thread (in share consumption: from the member threads, several at once);
 * implementations must be cheap, thread-safe and must not throw.
 */
public interface ProcessorListener {
  ProcessorListener NONE = new ProcessorListener() {};

  /** A valid request was accepted for upload (it may wait for a free slot first). */
  default void requestAccepted(String requestId) {}

  /** A result was committed (exactly once per request in exactly-once mode). */
  default void resultCommitted(UploadResult result) {}

  /**
   * A result was committed by the loop of {@code lane}; listeners that tell the lanes apart
   * override this one, the others hear {@link #resultCommitted(UploadResult)}.
   */
  default void resultCommitted(UploadResult result, Lane lane) {
    resultCommitted(result);
  }

  /**
   * A request for a file of {@code sizeBytes} was handed to the large-file lane (committed with its
   * record's offset); its result comes from that lane.
   */
  default void handedOff(String requestId, long sizeBytes) {}

  /** A record was sent to the dead-letter topic, with the reason word. */
  default void deadLettered(String reason) {}

  /** The partitions of the request topic assigned to this instance changed. */
  default void assignmentChanged(Set<TopicPartition> assigned) {}

  /**
   * The partitions assigned to the loop of {@code lane} changed; listeners that tell the lanes
   * apart override this one, the others hear {@link #assignmentChanged(Set)} for the request
   * topic's.
   */
  default void assignmentChanged(Lane lane, Set<TopicPartition> assigned) {
    if (lane == Lane.SMALL) {
      assignmentChanged(assigned);
    }
  }

  /** Publishing a batch failed and will be retried (or the instance stops, when fatal). */
  default void commitFailed(Exception cause, boolean fatal) {}

  /** One loop iteration's publish took {@code elapsed} for {@code records} records. */
  default void batchCommitted(int records, Duration elapsed) {}

  /**
   * Share consumption: a record of the share group was acquired, renewed, accepted, released,
   * rejected, or its lock was lost. Called from the member thread that holds the record.
   */
  default void shareRecord(ShareRecordEvent event) {}

  /**
   * Share consumption: records of the request topic(s) the share group has not finished yet
   * (waiting, or held by a member), as the group coordinator reports them. Called from a scheduler
   * thread, every few seconds.
   */
  default void sharePending(long records) {}

  /**
   * The file of an accepted request passed the path check and its upload begins; {@code sizeBytes}
   * is its size at the check. Unlike the methods above, called from the upload worker thread.
   */
  default void uploadStarted(String requestId, long sizeBytes) {}

  /**
   * The upload begun by {@link #uploadStarted} ended, stored, failed or interrupted (its result, if
   * any, is committed later). Called from the upload worker thread.
   */
  default void uploadEnded(String requestId) {}

  /**
   * The source file of a request with {@code afterUpload=delete} was handled after its result was
   * committed: deleted, or kept and why. Called from the source deleter's thread.
   */
  default void sourceFileHandled(String requestId, SourceOutcome outcome) {}
}
