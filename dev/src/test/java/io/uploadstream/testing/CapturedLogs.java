package io.uploadstream.testing;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.slf4j.LoggerFactory;

/** What one logger (and those below it) logs while a test runs, for asserting on log output. */
public final class CapturedLogs implements AutoCloseable {
  private final Logger logger;
  private final Level previousLevel;
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

  private CapturedLogs(Logger logger, Level level) {
    this.logger = logger;
    this.previousLevel = logger.getLevel();
    if (level != null) {
      logger.setLevel(level);
    }
    appender.start();
    logger.addAppender(appender);
  }

  /** At the level the test logging configuration gives the logger. */
  public static CapturedLogs of(String loggerName) {
    return new CapturedLogs((Logger) LoggerFactory.getLogger(loggerName), null);
  }

  /** At {@code level} while capturing (e.g. INFO lines the test configuration leaves out). */
  public static CapturedLogs of(String loggerName, Level level) {
    return new CapturedLogs((Logger) LoggerFactory.getLogger(loggerName), level);
  }

  /** Every formatted message so far, at any level. */
  public List<String> messages() {
    synchronized (appender) {
      return appender.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }
  }

  /** The formatted messages logged at WARN or above so far. */
  public List<String> warningsAndErrors() {
    synchronized (appender) {
      return appender.list.stream()
          .filter(event -> event.getLevel().isGreaterOrEqual(Level.WARN))
          .map(event -> event.getLoggerName() + ": " + event.getFormattedMessage())
          .toList();
    }
  }

  @Override
  public void close() {
    logger.detachAppender(appender);
    appender.stop();
    logger.setLevel(previousLevel);
  }
}
