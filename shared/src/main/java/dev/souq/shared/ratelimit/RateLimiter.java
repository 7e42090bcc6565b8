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
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The budgets ({@code souq.rate-limit.*}), shared by all replicas through one Redis key per client
 * and policy (GCRA): {@code per-ip} for every request, unless its route has a policy of its own
 * ({@link #policiesFor}). The checks of each event loop go to Redis in batches, one {@link
 * GcraBatcher} per policy, and a busy client's requests are admitted from cells granted ahead
 * ({@link LocalBudgets}, within one second's budget of exact). Used by the REST filter and by
 * anything else with a door, such as a WebSocket upgrade.
 */
@Singleton
public class RateLimiter {
  private final RateLimitConfig config;
  private final io.vertx.redis.client.Redis redis;
  private final Vertx vertx;
  private final Counter limited;
  private final Counter failedOpen;

  /** per-ip, catalog, sessions, orders, sign-in, account: the batchers each event loop holds. */
  private static final int POLICIES = 6;

  /**
   * What every limiter key starts with. The hash tag puts them all in one slot of a Redis Cluster,
   * so one script call can check the clients of a whole batch there too.
   */
  static final String KEYS = "{rate_limit}:";

  private final RatePolicy perIp;
  private final List<RatePolicy> catalog;
  private final List<RatePolicy> sessions;
  private final List<RatePolicy> orders;
  private final List<RatePolicy> signIn;
  private final RatePolicy account;
  private final List<RatePolicy> others;
  private final long unavailableRetryAfter;
  private final Map<Context, GcraBatcher[]> batchers = new ConcurrentHashMap<>();

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
    // A route policy set to 0 leaves its route to per-ip; per-ip at 0 turns everything off.
    this.perIp = new RatePolicy(0, "per-ip", config.perMinute(), KEYS, false);
    this.others = List.of(perIp);
    this.catalog = route(1, "catalog", config.catalogPerMinute(), false, null);
    this.sessions = route(2, "sessions", config.sessionsPerMinute(), false, null);
    this.orders = route(3, "orders", config.ordersPerMinute(), true, perIp);
    this.signIn = route(4, "sign-in", config.signInPerMinute(), false, null);
    this.account =
        new RatePolicy(
            POLICIES - 1, "account", config.accountSignInsPerMinute(), KEYS + "account:", false);
    this.unavailableRetryAfter = retryAfterSeconds(unavailable.retryAfter().toMillis());
  }

  /** Whether requests are limited at all ({@code per-minute} above 0). */
  public boolean enabled() {
    return config.perMinute() > 0;
  }

  private List<RatePolicy> route(
      int index, String name, int perMinute, boolean perSession, RatePolicy also) {
    if (perMinute <= 0) {
      return others;
    }
    RatePolicy policy = new RatePolicy(index, name, perMinute, KEYS + name + ":", perSession);
    return also == null ? List.of(policy) : List.of(policy, also);
  }

  /** The budget every request spends unless its route has its own: one per client address. */
  public RatePolicy perIp() {
    return perIp;
  }

  /**
   * The budgets a request spends, the route's own first (the one its headers report): GET/HEAD
   * {@code /api/products…} catalog, POST {@code /api/sessions} sessions, POST {@code /api/orders}
   * orders (per session) and per-ip, POST {@code /api/accounts} and {@code /api/accounts/sign-in}
   * sign-in; anything else per-ip.
   */
  public List<RatePolicy> policiesFor(String method, String path) {
    path = canonical(path);
    boolean read = "GET".equals(method) || "HEAD".equals(method);
    if (read && (path.equals("/api/products") || path.startsWith("/api/products/"))) {
      return catalog;
    }
    if ("POST".equals(method) && path.equals("/api/sessions")) {
      return sessions;
    }
    if ("POST".equals(method) && path.equals("/api/orders")) {
      return orders;
    }
    if ("POST".equals(method)
        && (path.equals("/api/accounts") || path.equals("/api/accounts/sign-in"))) {
      return signIn;
    }
    return others;
  }

  /**
   * The path as routing matches it: each segment without its matrix parameters, no empty segments
   * (no trailing or doubled slash), so {@code /api/sessions/;x} is {@code /api/sessions}. The
   * caller passes it decoded ({@code %73} is {@code s}).
   */
  static String canonical(String path) {
    if (isCanonical(path)) {
      return path; // the common case, without the split's garbage on every request
    }
    StringBuilder canonical = new StringBuilder(path.length());
    for (String segment : path.split("/")) {
      int matrix = segment.indexOf(';');
      String name = matrix < 0 ? segment : segment.substring(0, matrix);
      if (!name.isEmpty()) {
        canonical.append('/').append(name);
      }
    }
    return canonical.length() == 0 ? "/" : canonical.toString();
  }

  /** Starts with a slash; no empty segment, trailing slash or matrix parameter. */
  private static boolean isCanonical(String path) {
    int n = path.length();
    if (n == 0 || path.charAt(0) != '/') {
      return false;
    }
    if (n == 1) {
      return true;
    }
    if (path.charAt(n - 1) == '/') {
      return false;
    }
    for (int i = 1; i < n; i++) {
      char c = path.charAt(i);
      if (c == ';' || (c == '/' && path.charAt(i - 1) == '/')) {
        return false;
      }
    }
    return true;
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
    RatePolicy policy = this.account;
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
    GcraBatcher[] loop = batchers.computeIfAbsent(root, r -> new GcraBatcher[POLICIES]);
    GcraBatcher batcher = loop[policy.index()];
    if (batcher == null) {
      // Only this loop's thread touches its slots: no race.
      batcher = new GcraBatcher(redis, root, policy.perMinute(), config.redisTimeout());
      loop[policy.index()] = batcher;
    }
    return batcher;
  }
}
