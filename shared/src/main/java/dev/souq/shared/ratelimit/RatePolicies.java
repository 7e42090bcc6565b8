package dev.souq.shared.ratelimit;

import jakarta.inject.Singleton;
import java.util.List;

/**
 * Which budgets ({@code souq.rate-limit.*}) a request spends, by its method and route: {@code
 * per-ip} for every request, unless its route has a policy of its own ({@link #forRequest}). The
 * {@link RateLimiter} spends them.
 */
@Singleton
public class RatePolicies {
  /** per-ip, catalog, sessions, orders, sign-in, account: the batchers each event loop holds. */
  static final int COUNT = 6;

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

  RatePolicies(RateLimitConfig config) {
    // A route policy set to 0 leaves its route to per-ip; per-ip at 0 turns everything off.
    this.perIp = new RatePolicy(0, "per-ip", config.perMinute(), KEYS, false);
    this.others = List.of(perIp);
    this.catalog = route(1, "catalog", config.catalogPerMinute(), false, null);
    this.sessions = route(2, "sessions", config.sessionsPerMinute(), false, null);
    this.orders = route(3, "orders", config.ordersPerMinute(), true, perIp);
    this.signIn = route(4, "sign-in", config.signInPerMinute(), false, null);
    this.account =
        new RatePolicy(
            COUNT - 1, "account", config.accountSignInsPerMinute(), KEYS + "account:", false);
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

  /** The budget sign-ins and sign-ups spend per account, which code checks once it has the body. */
  RatePolicy account() {
    return account;
  }

  /**
   * The budgets a request spends, the route's own first (the one its headers report): GET/HEAD
   * {@code /api/products…} catalog, POST {@code /api/sessions} sessions, POST {@code /api/orders}
   * orders (per session) and per-ip, POST {@code /api/accounts} and {@code /api/accounts/sign-in}
   * sign-in; anything else per-ip.
   */
  List<RatePolicy> forRequest(String method, String path) {
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
}
