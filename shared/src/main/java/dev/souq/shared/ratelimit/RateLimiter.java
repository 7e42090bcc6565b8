package dev.souq.shared.ratelimit;

import dev.souq.shared.problem.UnavailableConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.common.vertx.VertxContext;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.net.SocketAddress;
import jakarta.inject.Singleton;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The per-client-IP budget ({@code souq.rate-limit.*}), shared by all replicas through one Redis
 * key per IP (GCRA). The checks of each event loop go to Redis in batches ({@link GcraBatcher}),
 * and a busy client's requests are admitted from cells granted ahead ({@link LocalBudgets}, within
 * one second's budget of exact). Used by the REST filter and by anything else with a door, such as
 * a WebSocket upgrade.
 */
@Singleton
public class RateLimiter {
  private final RateLimitConfig config;
  private final io.vertx.redis.client.Redis redis;
  private final Vertx vertx;
  private final Counter limited;
  private final Counter failedOpen;
  private final String policy;
  private final long unavailableRetryAfter;
  private final Map<Context, GcraBatcher> batchers = new ConcurrentHashMap<>();

  RateLimiter(
      RateLimitConfig config,
      UnavailableConfig unavailable,
      ReactiveRedisDataSource redis,
      Vertx vertx,
      MeterRegistry registry) {
    this.config = config;
    this.redis = redis.getRedis().getDelegate();
    this.vertx = vertx;
    this.limited = registry.counter("souq.rate_limit.rejected");
    this.failedOpen = registry.counter("souq.rate_limit.failed_open");
    this.policy = "\"per-ip\";q=" + config.perMinute() + ";w=60";
    this.unavailableRetryAfter = retryAfterSeconds(unavailable.retryAfter().toMillis());
  }

  /** Whether requests are limited at all ({@code per-minute} above 0). */
  public boolean enabled() {
    return config.perMinute() > 0;
  }

  /** The {@code RateLimit-Policy} header. */
  public String policy() {
    return policy;
  }

  /** The budget's requests per minute. */
  public int perMinute() {
    return config.perMinute();
  }

  /** The Redis key of a client: its IPv4 address or IPv6 /64 ({@link ClientAddress}). */
  public static String key(SocketAddress client) {
    return "rate_limit:" + ClientAddress.of(client);
  }

  /**
   * Takes one request of the check's client from its budget. On an event loop the check may be
   * answered before this returns (from the loop's {@link LocalBudgets}); else it is answered later,
   * on an event loop.
   */
  public void check(RateCheck check) {
    Context current = Vertx.currentContext();
    if (current != null && current.isEventLoopContext()) {
      batcher(VertxContext.getRootContext(current)).submit(check);
    } else {
      Context loop = vertx.getOrCreateContext();
      loop.runOnContext(v -> batcher(VertxContext.getRootContext(loop)).submit(check));
    }
  }

  /** Counts a refusal. */
  public void refused() {
    limited.increment();
  }

  /** Redis could not be asked: true if the request goes through anyway ({@code fail-open}). */
  public boolean failsOpen(Throwable failure) {
    if (config.failOpen()) {
      failedOpen.increment();
      Log.debugf("Rate limiter failed open: %s", failure.toString());
      return true;
    }
    return false;
  }

  /** Retry-After (s) of a request refused because Redis could not be asked and fail-open is off. */
  public long unavailableRetryAfter() {
    return unavailableRetryAfter;
  }

  /** Retry-After in whole seconds, at least 1. */
  public static long retryAfterSeconds(long retryMs) {
    return Math.max(1, (retryMs + 999) / 1000);
  }

  /** The batcher of the event loop whose root context this is, made on first use. */
  private GcraBatcher batcher(Context root) {
    GcraBatcher batcher = batchers.get(root);
    if (batcher == null) {
      // Quarkus forbids locals on a root context, hence the map (a handful of event loops).
      batcher =
          batchers.computeIfAbsent(
              root, r -> new GcraBatcher(redis, r, config.perMinute(), config.redisTimeout()));
    }
    return batcher;
  }
}
