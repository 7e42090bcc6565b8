package dev.souq.worker.handler;

import java.time.Duration;

/**
 * Not now: the job runs again after {@link #delay()} without spending an attempt, for an upstream
 * that said "later" (a 429 with its Retry-After, a provider in maintenance). Throw it from a
 * handler or fail its {@code Uni} with it. The delay is kept between 1 s and 1 h.
 */
public class Snooze extends RuntimeException {
  private static final Duration MIN = Duration.ofSeconds(1);
  private static final Duration MAX = Duration.ofHours(1);

  private final Duration delay;

  public Snooze(Duration delay, String reason) {
    super(reason, null, false, false); // an answer, not an error: no stack trace to fill
    this.delay = delay.compareTo(MIN) < 0 ? MIN : delay.compareTo(MAX) > 0 ? MAX : delay;
  }

  /** How long the job waits before it runs again. */
  public Duration delay() {
    return delay;
  }
}
