package dev.souq.shared.ratelimit;

/**
 * One request waiting for its verdict from a {@link GcraBatcher}. Exactly one method is called,
 * once, on the batcher's event loop.
 */
public interface RateCheck {
  /** The client's Redis key, e.g. {@code {rate_limit}:203.0.113.9}. */
  String key();

  /** Let through; {@code remaining} requests are left now and the budget is full in resetMs. */
  void admitted(long remaining, long resetMs);

  /** Over the limit: the next request is allowed in retryMs, the budget is full in resetMs. */
  void refused(long retryMs, long resetMs);

  /** Redis could not be asked in time (down, slow, or the queue before it is full). */
  void unavailable(Throwable failure);
}
