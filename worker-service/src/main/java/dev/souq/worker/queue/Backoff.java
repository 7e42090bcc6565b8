package dev.souq.worker.queue;

import dev.souq.worker.config.WorkerConfig;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with jitter: initial × 2^(attempts−1), capped at max, minus a random part of
 * up to {@code jitter} of it, so the retries of a burst of failures do not come back together.
 */
public final class Backoff {
  private final long initial;
  private final long max;
  private final double jitter;

  public Backoff(WorkerConfig.Backoff config) {
    this(config.initial(), config.max(), config.jitter());
  }

  Backoff(Duration initial, Duration max, double jitter) {
    this.initial = initial.toMillis();
    this.max = max.toMillis();
    this.jitter = Math.max(0, Math.min(1, jitter));
  }

  /** The delay after the {@code attempts}-th failed run (1 for the first). */
  public Duration delay(int attempts) {
    return Duration.ofMillis(
        ceiling(attempts)
            - Math.round(ceiling(attempts) * jitter * ThreadLocalRandom.current().nextDouble()));
  }

  /** The delay without jitter: the most {@link #delay} returns. */
  public long ceiling(int attempts) {
    int doublings = Math.max(0, Math.min(attempts - 1, 40));
    return Math.min(max, initial << Math.min(doublings, Long.numberOfLeadingZeros(initial) - 1));
  }
}
