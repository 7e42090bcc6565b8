package dev.souq.shared.ratelimit;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Duration;

/** The per-client-IP rate limit of every public REST endpoint ({@code SOUQ_RATE_LIMIT_*}). */
@ConfigMapping(prefix = "souq.rate-limit")
public interface RateLimitConfig {
  /**
   * Requests per minute per client IP; 0 turns the limiter off. At most ten million: a cell (6 µs)
   * is then still ~25 steps of a double holding an epoch-millisecond TAT; far beyond it a cell
   * rounds to nothing and the budget never runs down.
   */
  @WithDefault("100")
  @Min(0)
  @Max(10_000_000)
  int perMinute();

  /**
   * When Redis cannot be asked, let the request through (true) rather than refuse it: a Redis
   * outage should not take the shop down. Each such request is counted.
   */
  @WithDefault("true")
  boolean failOpen();

  /** How long the limiter waits for Redis before applying {@link #failOpen()}. */
  @WithDefault("200ms")
  Duration redisTimeout();
}
