package io.uploadstream.ops;

import io.uploadstream.contract.UploadResult;
import io.uploadstream.processor.Lane;
import io.uploadstream.processor.ProcessorListener;
import io.uploadstream.processor.ShareRecordEvent;
import io.uploadstream.processor.SourceOutcome;
import io.uploadstream.upload.UploadListener;
import io.uploadstream.upload.UploadSpec;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands every event to several listeners, in order. A listener that throws is logged and skipped
 * for that event, so a broken observer can never stop the loop or fail an upload. Every method of
 * both interfaces is forwarded ({@code ObserversTest} checks it against them by reflection).
 */
public final class Observers implements ProcessorListener, UploadListener {
  private static final Logger log = LoggerFactory.getLogger(Observers.class);

  private final List<ProcessorListener> processorListeners;
  private final List<UploadListener> uploadListeners;

  public Observers(
      List<ProcessorListener> processorListeners, List<UploadListener> uploadListeners) {
    this.processorListeners = List.copyOf(processorListeners);
    this.uploadListeners = List.copyOf(uploadListeners);
  }

  @Override
  public void requestAccepted(String requestId) {
    eachProcessor(l -> l.requestAccepted(requestId));
  }

  @Override
  public void resultCommitted(UploadResult result) {
    eachProcessor(l -> l.resultCommitted(result));
  }

  @Override
  public void resultCommitted(UploadResult result, Lane lane) {
    eachProcessor(l -> l.resultCommitted(result, lane));
  }

  @Override
  public void handedOff(String requestId, long sizeBytes) {
    eachProcessor(l -> l.handedOff(requestId, sizeBytes));
  }

  @Override
  public void deadLettered(String reason) {
    eachProcessor(l -> l.deadLettered(reason));
  }

  @Override
  public void assignmentChanged(Set<TopicPartition> assigned) {
    eachProcessor(l -> l.assignmentChanged(assigned));
  }

  @Override
  public void assignmentChanged(Lane lane, Set<TopicPartition> assigned) {
    eachProcessor(l -> l.assignmentChanged(lane, assigned));
  }

  @Override
  public void commitFailed(Exception cause, boolean fatal) {
    eachProcessor(l -> l.commitFailed(cause, fatal));
  }

  @Override
  public void batchCommitted(int records, Duration elapsed) {
    eachProcessor(l -> l.batchCommitted(records, elapsed));
  }

  @Override
  public void shareRecord(ShareRecordEvent event) {
    eachProcessor(l -> l.shareRecord(event));
  }

  @Override
  public void sharePending(long records) {
    eachProcessor(l -> l.sharePending(records));
  }

  @Override
  public void uploadStarted(String requestId, long sizeBytes) {
    eachProcessor(l -> l.uploadStarted(requestId, sizeBytes));
  }

  @Override
  public void uploadEnded(String requestId) {
    eachProcessor(l -> l.uploadEnded(requestId));
  }

  @Override
  public void sourceFileHandled(String requestId, SourceOutcome outcome) {
    eachProcessor(l -> l.sourceFileHandled(requestId, outcome));
  }

  @Override
  public void partStarted(UploadSpec spec, int partNumber, long sizeBytes) {
    eachUpload(l -> l.partStarted(spec, partNumber, sizeBytes));
  }

  @Override
  public void partUploaded(
      UploadSpec spec, int partNumber, long sizeBytes, long bytesDone, long totalBytes) {
    eachUpload(l -> l.partUploaded(spec, partNumber, sizeBytes, bytesDone, totalBytes));
  }

  @Override
  public void partResumed(UploadSpec spec, int partNumber, long sizeBytes) {
    eachUpload(l -> l.partResumed(spec, partNumber, sizeBytes));
  }

  @Override
  public void partRetried(UploadSpec spec, int partNumber, int attempt, Throwable cause) {
    eachUpload(l -> l.partRetried(spec, partNumber, attempt, cause));
  }

  @Override
  public void partFinished(UploadSpec spec, int partNumber) {
    eachUpload(l -> l.partFinished(spec, partNumber));
  }

  private void eachProcessor(Consumer<ProcessorListener> event) {
    for (ProcessorListener listener : processorListeners) {
      notify(listener, event);
    }
  }

  private void eachUpload(Consumer<UploadListener> event) {
    for (UploadListener listener : uploadListeners) {
      notify(listener, event);
    }
  }

  private static <L> void notify(L listener, Consumer<L> event) {
    try {
      event.accept(listener);
    } catch (RuntimeException e) {
      log.warn("listener {} failed", listener.getClass().getName(), e);
    }
  }
}
