package io.uploadstream.ops;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import io.uploadstream.config.LogFormat;
import java.net.URL;
import java.util.Locale;
import org.slf4j.ILoggerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Switches the log format after start. Logback configures itself before any setting is read (from
 * {@code logback.xml}, which already honours {@code UPLOAD_STREAM_LOG_FORMAT}); once the settings
 * are loaded this re-reads the same file with the chosen format, so {@code log.format} from a file
 * or {@code --set} takes effect too. A user's own {@code -Dlogback.configurationFile} is left
 * alone.
 */
public final class LogFormats {
  /** The variable {@code logback.xml} reads first. */
  static final String FORMAT_PROPERTY = "upload-stream.log.format";

  private static final String CONFIG = "/logback.xml";

  private LogFormats() {}

  public static void apply(LogFormat format) {
    ILoggerFactory factory = LoggerFactory.getILoggerFactory();
    if (!(factory instanceof LoggerContext context)) {
      return; // another SLF4J backend: its own configuration decides
    }
    if (System.getProperty("logback.configurationFile") != null) {
      return;
    }
    String name = format.name().toLowerCase(Locale.ROOT);
    if (context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender(name) != null) {
      return;
    }
    URL config = LogFormats.class.getResource(CONFIG);
    if (config == null) {
      throw new IllegalStateException(CONFIG + " is not on the classpath; is the jar built right?");
    }
    System.setProperty(FORMAT_PROPERTY, name);
    context.reset();
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    try {
      configurator.doConfigure(config);
    } catch (JoranException e) {
      throw new IllegalStateException("cannot configure logging from " + config, e);
    }
  }
}
