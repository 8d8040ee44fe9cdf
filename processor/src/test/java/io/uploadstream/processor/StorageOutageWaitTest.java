package io.uploadstream.processor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.uploadstream.contract.ErrorCode;
import io.uploadstream.upload.FileOpener;
import io.uploadstream.upload.KeyHold;
import io.uploadstream.upload.UploadOutcome;
import io.uploadstream.upload.UploadOutcome.UploadFailed;
import io.uploadstream.upload.UploadOutcome.UploadSucceeded;
import io.uploadstream.upload.UploadSpec;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class StorageOutageWaitTest {
  private static final FileOpener OPENER = FileOpener.PLAIN;
  private static final UploadSpec SPEC =
      new UploadSpec("r1", Path.of("/data/f"), "bucket", "k", null, null);
  private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
  private static final UploadFailed OUTAGE =
      new UploadFailed(ErrorCode.STORAGE_ERROR, "503 from every attempt", true, T0);
  private static final UploadSucceeded STORED =
      new UploadSucceeded("bucket", "k", 1, 0, "etag", "text/plain", null, false, T0, T0);

  private static KeyHold noHold(String key) {
    return () -> {};
  }

  @Test
  void key_isHeldFromTheFirstAttemptToTheFinalOutcome_pausesIncluded() throws Exception {
    List<String> events = new CopyOnWriteArrayList<>();
    AtomicInteger calls = new AtomicInteger();
    FileUploader recovering =
        (spec, opener) -> {
          events.add("attempt");
          return calls.incrementAndGet() < 3 ? OUTAGE : STORED;
        };
    Function<String, KeyHold> holdKey =
        key -> {
          events.add("hold " + key);
          return () -> events.add("release " + key);
        };

    new StorageOutageWait(Duration.ofMinutes(1), Clock.systemUTC(), holdKey)
        .upload(recovering, SPEC, OPENER);

    assertThat(events).containsExactly("hold k", "attempt", "attempt", "attempt", "release k");
  }

  @Test
  void key_isReleasedWhenTheAttemptThrows_andWithoutAWindow() {
    List<String> events = new CopyOnWriteArrayList<>();
    Function<String, KeyHold> holdKey =
        key -> {
          events.add("hold");
          return () -> events.add("release");
        };
    FileUploader interrupted =
        (spec, opener) -> {
          throw new InterruptedException("shutting down");
        };

    assertThatThrownBy(
            () ->
                new StorageOutageWait(Duration.ofMinutes(1), Clock.systemUTC(), holdKey)
                    .upload(interrupted, SPEC, OPENER))
        .isInstanceOf(InterruptedException.class);
    assertThatThrownBy(
            () ->
                new StorageOutageWait(Duration.ZERO, Clock.systemUTC(), holdKey)
                    .upload(interrupted, SPEC, OPENER))
        .isInstanceOf(InterruptedException.class);
    assertThat(events).containsExactly("hold", "release", "hold", "release");
  }

  @Test
  void outage_thatEnds_isRiddenOut_andTheUploadSucceeds() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    List<FileOpener> openers = new CopyOnWriteArrayList<>();
    FileUploader recovering =
        (spec, opener) -> {
          openers.add(opener);
          return calls.incrementAndGet() < 3 ? OUTAGE : STORED;
        };
    FileOpener checking = file -> FileOpener.PLAIN.open(file); // stands for the guard's opener

    UploadOutcome outcome =
        new StorageOutageWait(
                Duration.ofMinutes(1), Clock.systemUTC(), StorageOutageWaitTest::noHold)
            .upload(recovering, SPEC, checking);

    assertThat(outcome).isEqualTo(STORED);
    assertThat(calls).hasValue(3);
    assertThat(openers)
        .as("every attempt opens (and checks) the file again")
        .containsOnly(checking);
  }

  @Test
  void nonRetryableFailure_isReturnedAtOnce() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    UploadFailed forbidden = new UploadFailed(ErrorCode.STORAGE_ERROR, "403", false, T0);
    FileUploader refusing =
        (spec, opener) -> {
          calls.incrementAndGet();
          return forbidden;
        };

    assertThat(
            new StorageOutageWait(
                    Duration.ofMinutes(1), Clock.systemUTC(), StorageOutageWaitTest::noHold)
                .upload(refusing, SPEC, OPENER))
        .isEqualTo(forbidden);
    assertThat(calls).hasValue(1);
  }

  @Test
  void outageLongerThanTheWindow_failsRetryable() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    Clock pastTheWindowAfterFirstCall =
        new Clock() {
          @Override
          public Instant instant() {
            return calls.get() == 0 ? T0 : T0.plus(Duration.ofHours(1));
          }

          @Override
          public java.time.ZoneId getZone() {
            return java.time.ZoneOffset.UTC;
          }

          @Override
          public Clock withZone(java.time.ZoneId zone) {
            return this;
          }
        };
    FileUploader down =
        (spec, opener) -> {
          calls.incrementAndGet();
          return OUTAGE;
        };

    UploadOutcome outcome =
        new StorageOutageWait(
                Duration.ofMinutes(10), pastTheWindowAfterFirstCall, StorageOutageWaitTest::noHold)
            .upload(down, SPEC, OPENER);

    assertThat(outcome).isEqualTo(OUTAGE);
    assertThat(calls).hasValue(1);
  }

  @Test
  void storeUp_objectKeepsFailing_failsAfterOneMoreAttempt_sayingTheStoreIsUp() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    AtomicInteger checks = new AtomicInteger();
    StoreCheck up =
        () -> {
          checks.incrementAndGet();
          return Optional.empty();
        };
    FileUploader poisoned =
        (spec, opener) -> {
          calls.incrementAndGet();
          return OUTAGE;
        };

    UploadOutcome outcome =
        new StorageOutageWait(
                Duration.ofHours(1), Clock.systemUTC(), StorageOutageWaitTest::noHold, up)
            .upload(poisoned, SPEC, OPENER);

    assertThat(calls).as("one more attempt after the store answered, then no more").hasValue(2);
    assertThat(checks).hasValue(2);
    UploadFailed failed = (UploadFailed) outcome;
    assertThat(failed.code()).isEqualTo(ErrorCode.STORAGE_ERROR);
    assertThat(failed.retryable()).isTrue();
    assertThat(failed.message())
        .startsWith("the store is up (bucket 'bucket' answered) but this object kept failing")
        .endsWith(OUTAGE.message());
  }

  @Test
  void storeUp_nextAttemptSucceeds_isStored() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    FileUploader backAfterOne = (spec, opener) -> calls.incrementAndGet() < 2 ? OUTAGE : STORED;

    UploadOutcome outcome =
        new StorageOutageWait(
                Duration.ofHours(1),
                Clock.systemUTC(),
                StorageOutageWaitTest::noHold,
                Optional::empty)
            .upload(backAfterOne, SPEC, OPENER);

    assertThat(outcome).isEqualTo(STORED);
    assertThat(calls).hasValue(2);
  }

  @Test
  void storeDown_isWaitedFor_onlyAttemptsWithTheStoreUpCount() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    AtomicInteger checks = new AtomicInteger();
    StoreCheck downOnceThenUp =
        () ->
            checks.incrementAndGet() == 1
                ? Optional.of("bucket 'bucket' unreachable")
                : Optional.empty();
    FileUploader poisoned =
        (spec, opener) -> {
          calls.incrementAndGet();
          return OUTAGE;
        };

    UploadOutcome outcome =
        new StorageOutageWait(
                Duration.ofHours(1),
                Clock.systemUTC(),
                StorageOutageWaitTest::noHold,
                downOnceThenUp)
            .upload(poisoned, SPEC, OPENER);

    assertThat(calls).as("one attempt while down, two with the store up").hasValue(3);
    assertThat(((UploadFailed) outcome).message()).startsWith("the store is up");
  }

  @Test
  void nonRetryableFailure_doesNotCheckTheStore() throws Exception {
    AtomicInteger checks = new AtomicInteger();
    UploadFailed forbidden = new UploadFailed(ErrorCode.STORAGE_ERROR, "403", false, T0);

    new StorageOutageWait(
            Duration.ofHours(1),
            Clock.systemUTC(),
            StorageOutageWaitTest::noHold,
            () -> {
              checks.incrementAndGet();
              return Optional.empty();
            })
        .upload((spec, opener) -> forbidden, SPEC, OPENER);

    assertThat(checks).hasValue(0);
  }

  @Test
  void zeroWindow_meansNoWaiting() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    FileUploader down =
        (spec, opener) -> {
          calls.incrementAndGet();
          return OUTAGE;
        };
    assertThat(
            new StorageOutageWait(Duration.ZERO, Clock.systemUTC(), StorageOutageWaitTest::noHold)
                .upload(down, SPEC, OPENER))
        .isEqualTo(OUTAGE);
    assertThat(calls).hasValue(1);
  }

  @Test
  void interruptWhileWaiting_endsTheWaitPromptly() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    FileUploader down =
        (spec, opener) -> {
          if (Thread.currentThread().isInterrupted()) {
            throw new InterruptedException();
          }
          calls.incrementAndGet();
          return OUTAGE;
        };
    StorageOutageWait wait =
        new StorageOutageWait(
            Duration.ofHours(1), Clock.systemUTC(), StorageOutageWaitTest::noHold);
    CompletableFuture<Object> result = new CompletableFuture<>();
    Thread worker =
        new Thread(
            () -> {
              try {
                result.complete(wait.upload(down, SPEC, OPENER));
              } catch (Throwable e) {
                result.complete(e);
              }
            });
    worker.start();
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> calls.get() >= 1);

    worker.interrupt();

    Object ended = result.get(10, TimeUnit.SECONDS);
    assertThat(ended).as(String.valueOf(ended)).isInstanceOf(InterruptedException.class);
  }
}
