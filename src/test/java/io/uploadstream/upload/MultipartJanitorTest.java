package io.uploadstream.upload;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ServiceClientConfiguration;
import software.amazon.awssdk.services.s3.model.ListMultipartUploadsRequest;
import software.amazon.awssdk.services.s3.model.ListMultipartUploadsResponse;

/** {@link MultipartJanitor#run} as a scheduled task: what a sweep throws must not end the task. */
class MultipartJanitorTest {
  private static final RetrySettings NO_RETRY =
      new RetrySettings(1, Duration.ofMillis(1), 1.0, Duration.ofMillis(1), 0.0);

  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();

  @AfterEach
  void stop() {
    scheduler.shutdownNow();
  }

  @Test
  void run_sweepThrowsAnError_isLoggedAndTheScheduleGoesOn() {
    FailingStore store = new FailingStore(new NoClassDefFoundError("some/Missing"));
    MultipartJanitor janitor = janitor(store);

    assertThatCode(janitor::run).doesNotThrowAnyException();
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
      throw FailingStore.<RuntimeException>sneaky(failure);
    }

    @SuppressWarnings("unchecked")
    private static <T extends Throwable> T sneaky(Throwable t) throws T {
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
