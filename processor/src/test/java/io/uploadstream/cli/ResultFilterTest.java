package io.uploadstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.uploadstream.contract.ErrorCode;
import io.uploadstream.contract.UploadResult;
import io.uploadstream.contract.UploadResult.Status;
import io.uploadstream.contract.UploadResult.UploadError;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResultFilterTest {
  private static final Instant T0 = Instant.parse("2026-12-06T10:00:00Z");

  private static UploadResult succeeded(String id, Instant completedAt) {
    return new UploadResult(
        1,
        id,
        "/in/" + id,
        "tmp",
        Status.SUCCEEDED,
        "b",
        "tmp/" + id,
        "https://cdn/" + id,
        3L,
        1,
        "etag",
        "text/plain",
        null,
        T0,
        completedAt,
        null);
  }

  private static UploadResult failed(String id) {
    return new UploadResult(
        1,
        id,
        "/in/" + id,
        "tmp",
        Status.FAILED,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        T0,
        T0,
        new UploadError(ErrorCode.FILE_NOT_FOUND, "no file", false));
  }

  @Test
  void aRepeatedResult_differingOnlyInItsTimes_isPrintedOnce() {
    ResultFilter filter = new ResultFilter(List.of(), null);

    assertThat(filter.accept(succeeded("r1", T0.plusSeconds(1)))).isTrue();
    assertThat(filter.accept(succeeded("r1", T0.plusSeconds(9)))).as("a duplicate").isFalse();
    assertThat(filter.accept(succeeded("r2", T0.plusSeconds(1)))).isTrue();
  }

  @Test
  void anotherOutcomeOfTheSameRequestId_isPrinted_andDecidesTheExitStatus() {
    ResultFilter filter = new ResultFilter(List.of("r1"), null);

    assertThat(filter.accept(failed("r1"))).isTrue();
    assertThat(filter.allWantedSucceeded()).isFalse();
    assertThat(filter.accept(succeeded("r1", T0))).as("the request sent again").isTrue();
    assertThat(filter.allWantedSucceeded()).isTrue();
    assertThat(filter.accept(succeeded("r1", T0.plusSeconds(5)))).isFalse();
  }

  @Test
  void aResultFilteredOutByStatus_doesNotHideALaterOne() {
    ResultFilter filter = new ResultFilter(List.of(), Status.SUCCEEDED);

    assertThat(filter.accept(failed("r1"))).isFalse();
    assertThat(filter.accept(succeeded("r1", T0))).isTrue();
    assertThat(filter.accept(failed("r2"))).isFalse();
  }
}
