package io.uploadstream.progress;

import static org.assertj.core.api.Assertions.assertThat;

import io.uploadstream.contract.UploadProgress;
import io.uploadstream.upload.UploadSpec;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProgressTrackerTest {
  private static final long MIB = 1024 * 1024;

  private final MutableClock clock = new MutableClock(Instant.parse("2025-08-16T16:31:05Z"));
  private final List<UploadProgress> sent = new ArrayList<>();
  private final ProgressTracker tracker =
      new ProgressTracker(sent::add, clock, Duration.ofSeconds(1));
  private final UploadSpec spec = spec("req-1");

  @Test
  void firstPartStarting_sendsTheFirstEvent_withThePartCount() {
    tracker.uploadStarted("req-1", 20 * MIB);
    tracker.partStarted(spec, 1, 8 * MIB);
    tracker.partStarted(spec, 2, 8 * MIB);

    assertThat(sent)
        .containsExactly(new UploadProgress(1, "req-1", 0, 20 * MIB, 0, 3, clock.instant()));
  }

  @Test
  void partsStoredWithinASecondAndATenth_areSkipped_butTheLastByteIsAlwaysSent() {
    tracker.uploadStarted("req-1", 200 * MIB); // 25 parts of 4 %
    tracker.partStarted(spec, 1, 8 * MIB);
    clock.advance(Duration.ofMillis(100));
    tracker.partUploaded(spec, 1, 8 * MIB, 8 * MIB, 200 * MIB); // 4 %
    tracker.partUploaded(spec, 2, 8 * MIB, 16 * MIB, 200 * MIB); // 8 %
    tracker.partUploaded(spec, 3, 8 * MIB, 24 * MIB, 200 * MIB); // 12 %: passes 10 %
    tracker.partUploaded(spec, 4, 8 * MIB, 32 * MIB, 200 * MIB); // 16 %
    clock.advance(Duration.ofMillis(100));
    tracker.partUploaded(spec, 25, 8 * MIB, 200 * MIB, 200 * MIB);

    assertThat(sent).extracting(UploadProgress::bytesDone).containsExactly(0L, 24 * MIB, 200 * MIB);
    assertThat(sent.get(2).partsDone()).isEqualTo(5);
  }

  @Test
  void eachTenthPassed_isSent_evenWithinASecond() {
    tracker.uploadStarted("req-1", 50 * MIB);
    tracker.partStarted(spec, 1, 8 * MIB);
    for (int part = 1; part <= 7; part++) {
      long done = Math.min(8 * MIB * part, 50 * MIB);
      tracker.partUploaded(spec, part, 8 * MIB, done, 50 * MIB);
    }

    assertThat(sent)
        .extracting(UploadProgress::bytesDone)
        .containsExactly(0L, 8 * MIB, 16 * MIB, 24 * MIB, 32 * MIB, 40 * MIB, 48 * MIB, 50 * MIB);
  }

  @Test
  void aPartStoredASecondOrMoreAfterTheLastEvent_isSent() {
    tracker.uploadStarted("req-1", 200 * MIB); // parts of 2.5 %
    tracker.partStarted(spec, 1, 5 * MIB);
    clock.advance(Duration.ofMillis(999));
    tracker.partUploaded(spec, 1, 5 * MIB, 5 * MIB, 200 * MIB);
    clock.advance(Duration.ofMillis(1));
    tracker.partUploaded(spec, 2, 5 * MIB, 10 * MIB, 200 * MIB); // a second after the first
    clock.advance(Duration.ofMillis(500));
    tracker.partUploaded(spec, 3, 5 * MIB, 15 * MIB, 200 * MIB);
    clock.advance(Duration.ofMillis(400));
    tracker.partUploaded(spec, 4, 5 * MIB, 19 * MIB, 200 * MIB);

    assertThat(sent).extracting(UploadProgress::bytesDone).containsExactly(0L, 10 * MIB);
  }

  @Test
  void eachRequest_hasItsOwnRateLimit() {
    UploadSpec other = spec("req-2");
    tracker.uploadStarted("req-1", 16 * MIB);
    tracker.uploadStarted("req-2", 16 * MIB);
    tracker.partStarted(spec, 1, 8 * MIB);
    tracker.partStarted(other, 1, 8 * MIB);

    assertThat(sent).extracting(UploadProgress::requestId).containsExactly("req-1", "req-2");
  }

  @Test
  void emptyFile_sendsFirstAndLast_asOnePart() {
    tracker.uploadStarted("req-1", 0);
    tracker.partStarted(spec, 1, 0);
    tracker.partUploaded(spec, 1, 0, 0, 0);

    assertThat(sent)
        .extracting(UploadProgress::partsDone, UploadProgress::partCount)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(0, 1), org.assertj.core.groups.Tuple.tuple(1, 1));
  }

  @Test
  void partsOfAnUploadThatEnded_orWasNeverStarted_sendNothing() {
    tracker.uploadStarted("req-1", 16 * MIB);
    tracker.uploadEnded("req-1");
    tracker.partStarted(spec, 1, 8 * MIB);
    tracker.partUploaded(spec("req-9"), 1, 8 * MIB, 8 * MIB, 16 * MIB);

    assertThat(sent).isEmpty();
  }

  private static UploadSpec spec(String requestId) {
    return new UploadSpec(
        requestId, Path.of("/data/" + requestId), "uploads", "tmp/" + requestId, null, Map.of());
  }

  /** A clock the test moves by hand. */
  private static final class MutableClock extends Clock {
    private Instant now;

    MutableClock(Instant start) {
      this.now = start;
    }

    void advance(Duration duration) {
      now = now.plus(duration);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }
}
