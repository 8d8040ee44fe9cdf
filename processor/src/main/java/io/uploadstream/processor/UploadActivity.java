package io.uploadstream.processor;

import io.uploadstream.upload.UploadListener;
import io.uploadstream.upload.UploadSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When each running upload last showed life — a part started, stored, resumed or retried — so a
 * share-group member renews its record's lock only while the upload progresses (share consumption).
 * Passes every event on to {@code next}. Thread-safe: part threads report, member threads ask.
 */
public final class UploadActivity implements UploadListener {
  private final Clock clock;
  private final UploadListener next;
  private final Map<String, Instant> lastSeen = new ConcurrentHashMap<>();

  public UploadActivity(Clock clock, UploadListener next) {
    this.clock = clock;
    this.next = next;
  }

  /** The upload of {@code requestId} begins now. */
  void started(String requestId) {
    lastSeen.put(requestId, clock.instant());
  }

  /** How long the upload of {@code requestId} has shown no life (zero when it is not known). */
  Duration idleFor(String requestId) {
    Instant seen = lastSeen.get(requestId);
    return seen == null ? Duration.ZERO : Duration.between(seen, clock.instant());
  }

  /** The upload of {@code requestId} is over. */
  void ended(String requestId) {
    lastSeen.remove(requestId);
  }

  @Override
  public void partStarted(UploadSpec spec, int partNumber, long sizeBytes) {
    seen(spec);
    next.partStarted(spec, partNumber, sizeBytes);
  }

  @Override
  public void partUploaded(
      UploadSpec spec, int partNumber, long sizeBytes, long bytesDone, long totalBytes) {
    seen(spec);
    next.partUploaded(spec, partNumber, sizeBytes, bytesDone, totalBytes);
  }

  @Override
  public void partResumed(UploadSpec spec, int partNumber, long sizeBytes) {
    seen(spec);
    next.partResumed(spec, partNumber, sizeBytes);
  }

  @Override
  public void partRetried(UploadSpec spec, int partNumber, int attempt, Throwable cause) {
    seen(spec);
    next.partRetried(spec, partNumber, attempt, cause);
  }

  @Override
  public void partFinished(UploadSpec spec, int partNumber) {
    next.partFinished(spec, partNumber);
  }

  /** Only uploads a member started are tracked: a late event of an ended one adds nothing. */
  private void seen(UploadSpec spec) {
    lastSeen.computeIfPresent(spec.requestId(), (id, before) -> clock.instant());
  }
}
