package io.uploadstream.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.slf4j.LoggerFactory;

/**
 * Raises one logger's level for a while: the Kafka clients log a warning per reconnect attempt,
 * which while we check whether the cluster answers at all only drowns the one line that says so.
 * Does nothing under another SLF4J backend or a user's own logging configuration.
 */
final class QuietLogs implements AutoCloseable {
  private final Logger logger;
  private final Level previous;

  private QuietLogs(Logger logger, Level previous) {
    this.logger = logger;
    this.previous = previous;
  }

  /** Only errors of {@code loggerName} (and below it) until {@link #close()}. */
  static QuietLogs errorsOnly(String loggerName) {
    if (System.getProperty("logback.configurationFile") == null
        && LoggerFactory.getLogger(loggerName) instanceof Logger logger) {
      QuietLogs quiet = new QuietLogs(logger, logger.getLevel());
      logger.setLevel(Level.ERROR);
      return quiet;
    }
    return new QuietLogs(null, null);
  }

  @Override
  public void close() {
    if (logger != null) {
      logger.setLevel(previous);
    }
  }
}
