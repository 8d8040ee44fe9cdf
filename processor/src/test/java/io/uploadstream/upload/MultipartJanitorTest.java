package io.uploadstream.upload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ServiceClientConfiguration;
import software.amazon.awssdk.services.s3.model.ListMultipartUploadsRequest;
import software.amazon.awssdk.services.s3.model.ListMultipartUploadsResponse;

/**
 * What the janitor aborts, judged by the store's timestamps (a {@link ListingStore} fake that pages
 * as S3 does, so small pages show the paging), and {@link MultipartJanitor#run} as a scheduled
 * task: what a sweep throws must not end the task.
 */
class MultipartJanitorTest {
  private static final RetrySettings NO_RETRY =
      new RetrySettings(1, Duration.ofMillis(1), 1.0, Duration.ofMillis(1), 0.0);
  private static final Instant NOW = Instant.parse("2025-08-16T12:00:00Z");
  private static final Duration MAX_AGE = Duration.ofHours(24);
  private static final Instant LONG_AGO = NOW.minus(Duration.ofDays(3));

  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();

  @AfterEach
  void stop() {
    scheduler.shutdownNow();
  }

  @Test
  void sweep_uploadInitiatedLongAgoThatStoredAPartRecently_isKept() {
    ListingStore store =
        new ListingStore()
            .upload(
                "live",
                "tmp/live.bin",
                LONG_AGO,
                LONG_AGO,
                NOW.minus(Duration.ofDays(2)),
                NOW.minus(Duration.ofMinutes(1)))
            .upload("idle", "tmp/idle.bin", LONG_AGO, LONG_AGO, NOW.minus(MAX_AGE).minusSeconds(1))
            .upload("empty", "tmp/empty.bin", NOW.minus(MAX_AGE).minusSeconds(1))
            .upload("young", "tmp/young.bin", NOW.minus(Duration.ofHours(1)));

    MultipartJanitor.Sweep sweep = janitor(store, 2, Set::of).sweep();

    assertThat(store.uploadIds()).containsExactly("live", "young");
    assertThat(sweep.aborted()).isEqualTo(2);
    assertThat(sweep.active()).as("kept for a part stored within the maximum age").isEqualTo(1);
    assertThat(store.calls)
        .as("the newest part is on the second page of ListParts; a young upload needs no ListParts")
        .containsSubsequence("parts live", "parts live")
        .doesNotContain("parts young");
  }

  @Test
  void sweep_partOfUnknownTime_countsAsRecent() {
    ListingStore store = new ListingStore().upload("u", "tmp/u.bin", LONG_AGO, (Instant) null);

    janitor(store, 2, Set::of).sweep();

    assertThat(store.uploadIds()).containsExactly("u");
  }

  @Test
  void sweep_uploadCompletedBetweenListingAndListParts_isNeitherAbortedNorAFailure() {
    ListingStore store =
        new ListingStore().upload("done", "tmp/done.bin", LONG_AGO).completedMeanwhile("done");

    MultipartJanitor.Sweep sweep = janitor(store, 2, Set::of).sweep();

    assertThat(sweep).isEqualTo(new MultipartJanitor.Sweep(1, 0, 0, 0));
    assertThat(store.calls).doesNotContain("abort done");
  }

  @Test
  void sweep_idleUploadOfAKeyThisInstanceWorksOn_isKept() {
    ListingStore store = new ListingStore().upload("u", "tmp/u.bin", LONG_AGO, LONG_AGO);

    janitor(store, 2, () -> Set.of("tmp/u.bin")).sweep();

    assertThat(store.uploadIds()).containsExactly("u");
  }

  @Test
  void sweep_smallPages_eachPageIsCleanedBeforeTheNextIsListed() {
    ListingStore store = new ListingStore();
    for (int i = 1; i <= 5; i++) {
      store.upload("u" + i, "tmp/" + i + ".bin", LONG_AGO);
    }

    janitor(store, 2, Set::of).sweep();

    assertThat(store.uploadIds()).isEmpty();
    assertThat(store.calls.stream().filter(c -> !c.startsWith("parts")))
        .containsExactly(
            "list", "abort u1", "abort u2", "list", "abort u3", "abort u4", "list", "abort u5");
  }

  @Test
  void listedPrefixes_prefixInsideAnotherOrRepeated_isListedOnce() {
    JanitorSettings settings =
        new JanitorSettings(Duration.ofHours(1), MAX_AGE, List.of("a", "/a/b/", "c/", "c", "ab"));
    MultipartJanitor janitor =
        new MultipartJanitor(new ListingStore(), "b", settings, NO_RETRY, Set::of, clock());

    assertThat(janitor.listedPrefixes()).containsExactly("a/", "c/", "ab/");
  }

  @Test
  void run_sweepThrowsAnError_isLoggedAndTheScheduleGoesOn() {
    FailingStore store = new FailingStore(new NoClassDefFoundError("some/Missing"));
    MultipartJanitor janitor = janitor(store);

    assertThatCode(janitor::run).doesNotThrowAnyException();
    ScheduledFuture<?> unused =
        scheduler.scheduleWithFixedDelay(janitor, 0, 10, TimeUnit.MILLISECONDS);

    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> store.calls.get() >= 3);
  }

  @Test
  void run_sweepThrowsACheckedExceptionSneakily_isLoggedAndNotThrown() {
    MultipartJanitor janitor = janitor(new FailingStore(new java.io.IOException("sneaky")));

    assertThatCode(janitor::run).doesNotThrowAnyException();
  }

  @Test
  void run_virtualMachineError_isRethrownAfterLogging() {
    OutOfMemoryError oom = new OutOfMemoryError("Java heap space");
    MultipartJanitor janitor = janitor(new FailingStore(oom));

    assertThatThrownBy(janitor::run).isSameAs(oom);
  }

  private static MultipartJanitor janitor(
      S3Client store, int pageSize, Supplier<Set<String>> ownedKeys) {
    return new MultipartJanitor(
        store,
        "bucket",
        new JanitorSettings(Duration.ofHours(1), MAX_AGE, List.of("tmp")),
        NO_RETRY,
        ownedKeys,
        clock(),
        pageSize);
  }

  private static Clock clock() {
    return Clock.fixed(NOW, ZoneOffset.UTC);
  }

  private static MultipartJanitor janitor(S3Client store) {
    return new MultipartJanitor(
        store,
        "bucket",
        new JanitorSettings(Duration.ofHours(1), Duration.ofHours(24), List.of()),
        NO_RETRY,
        Set::of,
        Clock.systemUTC());
  }

  /** A store whose ListMultipartUploads throws {@code failure}, counting the calls. */
  private static final class FailingStore implements S3Client {
    private final Throwable failure;
    final AtomicInteger calls = new AtomicInteger();

    FailingStore(Throwable failure) {
      this.failure = failure;
    }

    @Override
    public ListMultipartUploadsResponse listMultipartUploads(ListMultipartUploadsRequest r) {
      calls.incrementAndGet();
      FailingStore.<RuntimeException>sneakyThrow(failure);
      throw new AssertionError("unreachable");
    }

    /** Throws {@code t}, checked or not, past the compiler (the interface declares none). */
    @SuppressWarnings("unchecked")
    private static <T extends Throwable> void sneakyThrow(Throwable t) throws T {
      throw (T) t;
    }

    @Override
    public String serviceName() {
      return "s3";
    }

    @Override
    public S3ServiceClientConfiguration serviceClientConfiguration() {
      return S3ServiceClientConfiguration.builder().build();
    }

    @Override
    public void close() {}
  }
}
