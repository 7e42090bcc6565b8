package dev.souq.shared.ratelimit;

import dev.souq.shared.problem.Problem;
import dev.souq.shared.problem.UnavailableConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.net.SocketAddress;
import jakarta.inject.Singleton;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Spends the budgets ({@code souq.rate-limit.*}) that {@link RatePolicies} names, shared by all
 * replicas through one Redis key per client and policy (GCRA). The checks of each event loop go to
 * Redis in batches, one {@link GcraBatcher} per policy, and a busy client's requests are admitted
 * from cells granted ahead ({@link LocalBudgets}, within one second's budget of exact). Used by the
 * REST filter and by anything else with a door, such as a WebSocket upgrade.
 */
@Singleton
public class RateLimiter {
  private final RateLimitConfig config;
  private final io.vertx.redis.client.Redis redis;
  private final Vertx vertx;
  private final Counter limited;
  private final Counter failedOpen;
  private final RatePolicies budgets;
  private final long unavailableRetryAfter;
  private final Map<Context, GcraBatcher[]> batchers = new ConcurrentHashMap<>();

  RateLimiter(
      RateLimitConfig config,
      RatePolicies budgets,
      UnavailableConfig unavailable,
      ReactiveRedisDataSource redis,
      Vertx vertx,
      MeterRegistry registry) {
    this.config = config;
    this.redis = redis.getRedis().getDelegate();
    this.vertx = vertx;
    this.limited = registry.counter("souq.rate_limit.rejected");
    this.failedOpen = registry.counter("souq.rate_limit.failed_open");
    this.budgets = budgets;
    this.unavailableRetryAfter = retryAfterSeconds(unavailable.retryAfter().toMillis());
  }

  /** Whether requests are limited at all ({@code per-minute} above 0). */
  public boolean enabled() {
    return config.perMinute() > 0;
  }

  /** The client a request is counted as: its IPv4 address or IPv6 /64 ({@link ClientAddress}). */
  public static String client(SocketAddress address) {
    return ClientAddress.of(address);
  }

  /**
   * Takes one request of the check's client from the policy's budget. On an event loop the check
   * may be answered before this returns (from the loop's {@link LocalBudgets}); else it is answered
   * later, on an event loop.
   */
  public void check(RatePolicy policy, RateCheck check) {
    Context current = Vertx.currentContext();
    if (current != null && current.isEventLoopContext()) {
      batcher(VertxContext.getRootContext(current), policy).submit(check);
    } else {
      Context loop = vertx.getOrCreateContext();
      loop.runOnContext(v -> batcher(VertxContext.getRootContext(loop), policy).submit(check));
    }
  }

  /**
   * Spends one attempt on {@code account} (a digest naming it) from the budget that sign-ins and
   * sign-ups spend per account, which code checks itself once it has read the body: null when
   * admitted (also when limits are off), else the 429 to answer, or a 503 while Redis cannot be
   * asked: unlike the others this budget never fails open, or password guessing would be unlimited
   * for as long as Redis is away.
   */
  public Uni<Response> spendAccountAttempt(String account) {
    RatePolicy policy = budgets.account();
    if (!enabled() || policy.perMinute() <= 0) {
      return Uni.createFrom().nullItem();
    }
    PendingCheck check = new PendingCheck(this, policy, 1, false);
    check(policy, check.spend(policy, policy.key(account)));
    return check;
  }

  /** Counts a refusal. */
  public void refused() {
    limited.increment();
  }

  /** The 429 of a request over {@code policy}'s budget, counted. */
  Response refusal(RatePolicy policy, String state, long retryMs) {
    refused();
    return Response.fromResponse(
            Problem.response(
                Response.Status.TOO_MANY_REQUESTS,
                "Rate limit of "
                    + policy.perMinute()
                    + " requests per minute ("
                    + policy.name()
                    + ") exceeded; retry later"))
        .header("Retry-After", retryAfterSeconds(retryMs))
        .header("RateLimit-Policy", policy.header())
        .header("RateLimit", state)
        .build();
  }

  /** What a request gets when Redis could not be asked: null (fail-open), else a 503. */
  Response unavailable(Throwable failure) {
    if (failsOpen(failure)) {
      return null;
    }
    return unavailableClosed();
  }

  /** The 503 of a budget that could not be asked and does not fail open. */
  Response unavailableClosed() {
    return Response.fromResponse(
            Problem.response(
                Response.Status.SERVICE_UNAVAILABLE, "Rate limiter unavailable; retry later"))
        .header("Retry-After", unavailableRetryAfter)
        .build();
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

  /** The policy's batcher on the event loop whose root context this is, made on first use. */
  private GcraBatcher batcher(Context root, RatePolicy policy) {
    // Quarkus forbids locals on a root context, hence the map (a handful of event loops).
    GcraBatcher[] loop = batchers.computeIfAbsent(root, r -> new GcraBatcher[RatePolicies.COUNT]);
    GcraBatcher batcher = loop[policy.index()];
    if (batcher == null) {
      // Only this loop's thread touches its slots: no race.
      batcher = new GcraBatcher(redis, root, policy.perMinute(), config.redisTimeout());
      loop[policy.index()] = batcher;
    }
    return batcher;
  }
}
