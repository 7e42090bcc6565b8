package dev.souq.shared.redis;

import io.quarkus.logging.Log;
import java.time.Duration;

/**
 * How long a loop that talks to a server (a subscription, a fetch, an ack batch) waits before it
 * tries again: 100 ms, doubling to {@code max}. It logs the first failure of a run (WARN) and the
 * recovery (INFO), not every retry. Thread-safe: failures and successes may be reported from
 * different threads.
 */
public final class RetryDelay {
  private static final long FIRST_MS = 100;

  private final String what;
  private final long maxMs;
  private int failures;

  /** {@code what} names the work in the log, e.g. "Fetching from Redis". */
  public RetryDelay(String what, Duration max) {
    this.what = what;
    this.maxMs = Math.max(FIRST_MS, max.toMillis());
  }

  /**
   * Reports a failure ({@code null}: the connection ended); the milliseconds to wait before the
   * next attempt.
   */
  public synchronized long failed(Throwable failure) {
    if (failures++ == 0) {
      Log.warnf(
          "%s failed; retrying with backoff: %s",
          what, failure == null ? "connection closed" : failure.toString());
    }
    return Math.min(maxMs, FIRST_MS << Math.min(failures - 1, 20));
  }

  /** Reports a success: the next failure starts again at 100 ms. */
  public synchronized void succeeded() {
    if (failures > 0) {
      Log.infof("%s works again after %d failures", what, failures);
      failures = 0;
    }
  }

  /** Failures since the last success. */
  public synchronized int failures() {
    return failures;
  }
}
