package io.uploadstream.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.AppenderBase;
import io.uploadstream.contract.UploadRequest;
import io.uploadstream.testing.PipelineFixture;
import io.uploadstream.testing.SharedStack;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** What a real processor logs from start to a committed upload: outcomes yes, secrets never. */
class OpsLogsIT {
  private static final String JAAS_PASSWORD = "jaas-pw-5d1c9e";
  private static final String KEY_PASSWORD = "ssl-key-pw-8b27f0";
  private static final Map<String, Level> VERBOSE =
      Map.of(
          "io.uploadstream",
          Level.DEBUG,
          "io.uploadstream.ops.OutcomeLog", // quieted in logback-test.xml
          Level.INFO,
          "org.apache.kafka",
          Level.INFO);

  @TempDir Path files;
  private PipelineFixture pipeline;
  private final Capture capture = new Capture();
  private final LoggerContext logging = (LoggerContext) LoggerFactory.getILoggerFactory();
  private final Map<String, Level> levelsBefore = new java.util.HashMap<>();

  @BeforeEach
  void captureEverything() {
    VERBOSE.forEach(
        (name, level) -> {
          Logger logger = logging.getLogger(name);
          levelsBefore.put(name, logger.getLevel());
          logger.setLevel(level);
        });
    capture.setContext(logging);
    capture.start();
    logging.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).addAppender(capture);
  }

  @AfterEach
  void restore() {
    if (pipeline != null) {
      pipeline.close();
    }
    logging.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).detachAppender(capture);
    levelsBefore.forEach((name, level) -> logging.getLogger(name).setLevel(level));
  }

  @Test
  void startupAndAnUpload_logTheOutcome_butNeverASecret() throws Exception {
    String s3Secret = SharedStack.get().s3().secretKey(); // the store's real secret key
    pipeline =
        PipelineFixture.onSharedStack(files, 1)
            .set("metrics.port", "0")
            .set(
                "kafka.sasl.jaas.config",
                "org.apache.kafka.common.security.plain.PlainLoginModule required"
                    + " username=\"alice\" password=\""
                    + JAAS_PASSWORD
                    + "\";")
            .set("kafka.ssl.key.password", KEY_PASSWORD);
    pipeline.startProcessor("logs-1");
    Path file = Files.writeString(files.resolve("a.txt"), "hello");
    pipeline.publish(UploadRequest.of("logs-ok", file.toString(), "tmp"));

    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> capture.text().contains("request logs-ok SUCCEEDED code=NONE key=tmp/"));

    String logs = capture.text();
    assertThat(logs).contains("processor logs-1 started").contains("size=5 durationMs=");
    for (String secret : List.of(s3Secret, JAAS_PASSWORD, KEY_PASSWORD)) {
      assertThat(logs).as("logs must not contain a secret").doesNotContain(secret);
    }
  }

  /** Every event's message, key-values and stack trace, from every thread. */
  private static final class Capture extends AppenderBase<ILoggingEvent> {
    private final ConcurrentLinkedQueue<String> lines = new ConcurrentLinkedQueue<>();

    @Override
    protected void append(ILoggingEvent event) {
      StringBuilder line = new StringBuilder(event.getFormattedMessage());
      if (event.getKeyValuePairs() != null) {
        event.getKeyValuePairs().forEach(pair -> line.append(' ').append(pair));
      }
      if (event.getThrowableProxy() != null) {
        line.append('\n').append(ThrowableProxyUtil.asString(event.getThrowableProxy()));
      }
      lines.add(line.toString());
    }

    String text() {
      return String.join("\n", lines);
    }
  }
}
