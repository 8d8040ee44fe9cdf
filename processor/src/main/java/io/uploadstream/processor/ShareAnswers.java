package io.uploadstream.processor;

import io.uploadstream.contract.DecodeResult;
import io.uploadstream.contract.ErrorCode;
import io.uploadstream.contract.RequestDecoder;
import io.uploadstream.contract.UploadRequest;
import io.uploadstream.contract.UploadResult;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a share-group member does with a record: a request to upload, or an answer at once — a dead
 * letter for a record that is not a request (with a FAILED result when its {@code requestId} is
 * readable), and on a request's last allowed delivery a FAILED {@code DELIVERY_LIMIT_REACHED}
 * result with a dead letter, so the broker never archives a request silently. Thread-safe: the
 * members share one.
 */
final class ShareAnswers {
  private static final Logger log = LoggerFactory.getLogger(ShareAnswers.class);

  /** What a record asks for. */
  sealed interface Plan {}

  /** Answer at once, no upload. */
  record AnswerNow(ShareOutcome.Answered answer) implements Plan {}

  /** Upload first; {@code recordTime} stands in for a missing {@code requestedAt}. */
  record Upload(UploadRequest request, Instant recordTime) implements Plan {}

  private final RequestDecoder decoder;
  private final UploadJob uploadJob;
  private final ResultRecords records;
  private final int deliveryLimit;

  ShareAnswers(
      RequestDecoder decoder, UploadJob uploadJob, ResultRecords records, int deliveryLimit) {
    this.decoder = decoder;
    this.uploadJob = uploadJob;
    this.records = records;
    this.deliveryLimit = deliveryLimit;
  }

  Plan plan(ConsumerRecord<byte[], byte[]> record, int deliveryCount) {
    DecodeResult decoded = decoder.decode(record.value());
    if (decoded instanceof DecodeResult.Rejected rejected) {
      return new AnswerNow(deadLetter(record, rejected));
    }
    UploadRequest request = ((DecodeResult.Decoded) decoded).request();
    if (deliveryCount >= deliveryLimit) {
      return new AnswerNow(undeliverable(record, request, deliveryCount));
    }
    return new Upload(request, Instant.ofEpochMilli(record.timestamp()));
  }

  /**
   * Runs on a worker. Whatever happens, the request gets a result — except an interrupt (given up),
   * which leaves it for the record's next holder.
   */
  JobOutcome.Answered upload(Upload upload) throws InterruptedException {
    JobOutcome outcome;
    try {
      outcome = uploadJob.run(upload.request(), upload.recordTime());
    } catch (InterruptedException e) {
      throw e;
    } catch (Exception | Error e) { // a bug must answer the request, not loop through redeliveries
      log.error("request {} failed unexpectedly", upload.request().requestId(), e);
      return JobOutcome.Answered.of(uploadJob.internalError(upload.request(), e));
    }
    if (outcome instanceof JobOutcome.Answered answered) {
      return answered;
    }
    // The job of share consumption has no hand-off size: this is a wiring bug, answer it.
    IllegalStateException bug = new IllegalStateException("a share member's job handed off");
    return JobOutcome.Answered.of(uploadJob.internalError(upload.request(), bug));
  }

  /** The answer to a served request; its file, if it asked, is deleted once the broker took it. */
  ShareOutcome.Answered served(JobOutcome.Answered answer) {
    return new ShareOutcome.Answered(
        List.of(records.result(answer.result())),
        Optional.of(answer.result()),
        Optional.empty(),
        AcknowledgeType.ACCEPT,
        answer.afterCommit());
  }

  private ShareOutcome.Answered deadLetter(
      ConsumerRecord<byte[], byte[]> record, DecodeResult.Rejected rejected) {
    String reason = rejected.reason().name();
    ProducerRecord<byte[], byte[]> letter = records.deadLetter(record, reason, rejected.message());
    Optional<UploadResult> answer =
        rejected.echo().map(echo -> uploadJob.refused(echo, rejected.message()));
    List<ProducerRecord<byte[], byte[]>> published =
        answer.isEmpty() ? List.of(letter) : List.of(letter, records.result(answer.get()));
    return new ShareOutcome.Answered(
        published, answer, Optional.of(reason), AcknowledgeType.REJECT, Optional.empty());
  }

  private ShareOutcome.Answered undeliverable(
      ConsumerRecord<byte[], byte[]> record, UploadRequest request, int deliveryCount) {
    UploadResult result = uploadJob.undeliverable(request, deliveryCount);
    String reason = ErrorCode.DELIVERY_LIMIT_REACHED.name();
    log.warn(
        "request {} is on its last allowed delivery ({} of {}): answered {} and dead-lettered",
        request.requestId(),
        deliveryCount,
        deliveryLimit,
        reason);
    return new ShareOutcome.Answered(
        List.of(
            records.deadLetter(record, reason, result.error().message()), records.result(result)),
        Optional.of(result),
        Optional.of(reason),
        AcknowledgeType.REJECT,
        Optional.empty());
  }
}
