package io.uploadstream.upload;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records every callback, from any thread, for assertions. */
class RecordingListener implements UploadListener {
  record Retry(int partNumber, int attempt, Throwable cause) {}

  final List<Integer> started = new CopyOnWriteArrayList<>();
  final List<Integer> uploaded = new CopyOnWriteArrayList<>();
  final List<Long> bytesDone = new CopyOnWriteArrayList<>();
  final List<Retry> retries = new CopyOnWriteArrayList<>();
  final List<Integer> finished = new CopyOnWriteArrayList<>();
  final List<Integer> resumed = new CopyOnWriteArrayList<>();

  @Override
  public void partStarted(UploadSpec spec, int partNumber, long sizeBytes) {
    started.add(partNumber);
  }

  @Override
  public void partUploaded(
      UploadSpec spec, int partNumber, long sizeBytes, long bytesDone, long totalBytes) {
    uploaded.add(partNumber);
    this.bytesDone.add(bytesDone);
  }

  @Override
  public void partRetried(UploadSpec spec, int partNumber, int attempt, Throwable cause) {
    retries.add(new Retry(partNumber, attempt, cause));
  }

  @Override
  public void partResumed(UploadSpec spec, int partNumber, long sizeBytes) {
    resumed.add(partNumber);
  }

  @Override
  public void partFinished(UploadSpec spec, int partNumber) {
    finished.add(partNumber);
  }
}
