package io.uploadstream.testing;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fixture itself: a crash in a background thread fails the test that was running. */
class PipelineFixtureIT {
  @TempDir Path files;

  @Test
  void aThreadThatCrashedWhileTheFixtureWasOpen_failsItsClose() throws Exception {
    PipelineFixture pipeline = PipelineFixture.onSharedStack(files, 1);
    Thread crashing =
        new Thread(
            () -> {
              throw new IllegalStateException("boom in the background");
            },
            "background-under-test");
    crashing.start();
    crashing.join();

    assertThatThrownBy(pipeline::close)
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("background-under-test")
        .hasMessageContaining("boom in the background");
  }

  @Test
  void noCrash_closesQuietly() {
    PipelineFixture pipeline = PipelineFixture.onSharedStack(files, 1);

    assertThatCode(pipeline::close).doesNotThrowAnyException();
  }
}
