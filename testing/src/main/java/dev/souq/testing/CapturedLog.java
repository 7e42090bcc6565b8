package dev.souq.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.jboss.logmanager.ExtLogRecord;

/**
 * The messages a logger and the loggers under it log while this is open, at a level or above,
 * formatted as the log shows them: for tests that a path says what it should, or stays quiet.
 */
public final class CapturedLog extends Handler implements AutoCloseable {
  private final Logger logger;
  private final Level threshold;
  private final List<String> messages = new CopyOnWriteArrayList<>();

  private CapturedLog(Logger logger, Level threshold) {
    this.logger = logger;
    this.threshold = threshold;
  }

  /** Captures what {@code loggerName} ("" for every logger) logs at {@code threshold} or above. */
  public static CapturedLog of(String loggerName, Level threshold) {
    CapturedLog capture = new CapturedLog(Logger.getLogger(loggerName), threshold);
    capture.logger.addHandler(capture);
    return capture;
  }

  /** Captures the errors {@code loggerName} ("" for every logger) logs. */
  public static CapturedLog errors(String loggerName) {
    return of(loggerName, Level.SEVERE);
  }

  /** The messages captured so far, oldest first. */
  public List<String> messages() {
    return List.copyOf(messages);
  }

  @Override
  public void publish(LogRecord record) {
    if (record.getLevel().intValue() >= threshold.intValue()) {
      messages.add(
          record instanceof ExtLogRecord ext
              ? ext.getFormattedMessage()
              : record.getLoggerName() + ": " + record.getMessage());
    }
  }

  @Override
  public void flush() {}

  @Override
  public void close() {
    logger.removeHandler(this);
  }
}
