package io.uploadstream.dev;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import java.net.URL;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

/**
 * Quiets, for {@code dev} only, log lines of the embedded broker and the Kafka clients that are
 * known noise there ({@code dev-logging.xml} lists them and why). The processor's own warnings and
 * everything else stay as {@code logback.xml} configures them.
 */
final class DevLogging {
  private static final String CONFIG = "dev-logging.xml";

  private DevLogging() {}

  static void quietKnownNoise() {
    ILoggerFactory factory = LoggerFactory.getILoggerFactory();
    if (!(factory instanceof LoggerContext context)) {
      return; // another SLF4J backend: its own configuration decides
    }
    if (System.getProperty("logback.configurationFile") != null) {
      return; // the user's own logging configuration: left alone
    }
    URL config = DevLogging.class.getResource(CONFIG);
    if (config == null) {
      throw new IllegalStateException(CONFIG + " is not on the classpath; is the jar built right?");
    }
    // Without a reset, the file's loggers are added to the configuration already in place.
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    try {
      configurator.doConfigure(config);
    } catch (JoranException e) {
      throw new IllegalStateException("cannot configure logging from " + config, e);
    }
  }
}
