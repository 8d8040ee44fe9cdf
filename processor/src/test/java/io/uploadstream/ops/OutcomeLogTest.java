package io.uploadstream.ops;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.uploadstream.contract.ErrorCode;
import io.uploadstream.processor.Lane;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class OutcomeLogTest {
  private final Logger logger = (Logger) LoggerFactory.getLogger(OutcomeLog.class);
  private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
  private Level configured;

  @BeforeEach
  void capture() {
    configured = logger.getLevel(); // logback-test.xml quiets outcome lines for the ITs
    logger.setLevel(Level.INFO);
    lines.start();
    logger.addAppender(lines);
  }

  @AfterEach
  void release() {
    logger.detachAppender(lines);
    logger.setLevel(configured);
  }

  @Test
  void committedSuccess_isOneInfoLine_withIdStatusCodeKeySizeAndDuration() {
    new OutcomeLog()
        .resultCommitted(
            OpsTestResults.succeeded("req-1", 1234, Duration.ofMillis(87)), Lane.SMALL);

    assertThat(lines.list)
        .singleElement()
        .satisfies(
            line -> {
              assertThat(line.getLevel()).isEqualTo(Level.INFO);
              assertThat(line.getFormattedMessage())
                  .isEqualTo(
                      "request req-1 SUCCEEDED code=NONE key=tmp/20250816163104-req-1.bin size=1234"
                          + " durationMs=87 lane=small");
              assertThat(line.getKeyValuePairs())
                  .extracting(pair -> pair.key)
                  .containsExactly(
                      "requestId", "status", "code", "key", "size", "durationMs", "lane");
            });
  }

  @Test
  void committedFailure_namesItsErrorCode() {
    new OutcomeLog()
        .resultCommitted(OpsTestResults.failed("req-2", ErrorCode.FILE_NOT_FOUND), Lane.LARGE);

    assertThat(lines.list)
        .singleElement()
        .extracting(ILoggingEvent::getFormattedMessage)
        .isEqualTo(
            "request req-2 FAILED code=FILE_NOT_FOUND key=null size=null durationMs=5 lane=large");
  }
}
