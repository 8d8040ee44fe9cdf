package io.uploadstream.ops;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.util.ContextInitializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.uploadstream.config.LogFormat;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

class LogFormatsTest {
  private final PrintStream originalErr = System.err;

  @AfterEach
  void restoreTestLogging() throws Exception {
    System.setErr(originalErr);
    System.clearProperty(LogFormats.FORMAT_PROPERTY);
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    context.reset();
    new ContextInitializer(context).autoConfig();
  }

  @Test
  void json_writesEachLineAsAJsonObject_withKeyValuesAsFields() throws Exception {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));

    LogFormats.apply(LogFormat.JSON);
    Logger log = LoggerFactory.getLogger("io.uploadstream.test");
    log.atInfo().addKeyValue("requestId", "req-1").log("request {} done", "req-1");

    String line = err.toString(StandardCharsets.UTF_8).lines().reduce((a, b) -> b).orElseThrow();
    JsonNode json = new ObjectMapper().readTree(line);
    assertThat(json.path("level").asText()).isEqualTo("INFO");
    assertThat(json.path("formattedMessage").asText()).isEqualTo("request req-1 done");
    assertThat(json.path("kvpList").toString()).contains("\"requestId\":\"req-1\"");
  }

  @Test
  void text_writesThePlainPattern() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));

    LogFormats.apply(LogFormat.TEXT);
    LoggerFactory.getLogger("io.uploadstream.test").info("plain line");

    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains(" INFO  [")
        .contains("io.uploadstream.test - plain line");
  }
}
