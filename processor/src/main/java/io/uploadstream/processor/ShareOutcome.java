package io.uploadstream.processor;

import io.uploadstream.contract.UploadResult;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.producer.ProducerRecord;

/** How a share-group member's hold on a record ends. Switch over it. */
sealed interface ShareOutcome {

  /**
   * Answered: publish {@code records} (a result; or a dead letter and maybe the result answering
   * it), then acknowledge with {@code ack}: ACCEPT for a served request, REJECT for a record that
   * is dead-lettered; once the broker took the ACCEPT, {@code afterAccept} deletes the request's
   * file ({@code afterUpload=delete}).
   */
  record Answered(
      List<ProducerRecord<byte[], byte[]>> records,
      Optional<UploadResult> result,
      Optional<String> deadLetterReason,
      AcknowledgeType ack,
      Optional<SourceDeletion> afterAccept)
      implements ShareOutcome {
    public Answered {
      records = List.copyOf(records);
    }
  }

  /**
   * Given up for another member (RELEASE): a shutdown past its grace, or an upload that stalled.
   * Its multipart upload is kept for the next holder to resume.
   */
  record GivenUp(String why) implements ShareOutcome {}

  /** The lock is gone: another member has the record; nothing is published or acknowledged. */
  record LockLost() implements ShareOutcome {}
}
