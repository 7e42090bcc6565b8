package dev.souq.notification.live;

/**
 * How many messages one client may still send: a token bucket of {@code capacity}, refilled at
 * {@code capacity} per ten seconds. A browser sends one resume per connection; a client that sends
 * much more is flooding (each resume costs a Redis call), so it is cut off rather than served.
 */
final class MessageBudget {
  private static final long WINDOW_NANOS = 10_000_000_000L;

  private final int capacity;
  private double tokens;
  private long refilledAt;

  MessageBudget(int capacity) {
    this.capacity = capacity;
    this.tokens = capacity;
    this.refilledAt = System.nanoTime();
  }

  /** Takes one message from the budget; false when it is spent. */
  synchronized boolean spend() {
    long now = System.nanoTime();
    tokens = Math.min(capacity, tokens + (now - refilledAt) * (double) capacity / WINDOW_NANOS);
    refilledAt = now;
    if (tokens < 1) {
      return false;
    }
    tokens -= 1;
    return true;
  }
}
