package dev.souq.shared.ratelimit;

import java.util.HashMap;
import java.util.Map;

/**
 * What one event loop knows of its clients without asking Redis. Confined to that loop: no locks.
 *
 * <ul>
 *   <li><b>A refusal</b>, until its Retry-After has passed. Exact: only time frees a GCRA budget,
 *       so a client over its limit costs no Redis call until then.
 *   <li><b>An allowance</b>: cells of a busy client's budget that Redis granted this loop ahead of
 *       its requests, spent here within {@link #LIFETIME_NANOS}. A client's grant starts at one
 *       cell (exact) and doubles each time it is spent within its lifetime, up to {@link
 *       #maxGrant}, the policy's budget of one second (so at the default 100 per minute there are
 *       no allowances).
 * </ul>
 *
 * <p>The bound: every cell spent here was counted in Redis at most one second before, so over any
 * interval a client is admitted at most what exact GCRA admits over an interval one second longer:
 * at most {@code perMinute / 60} (rounded up) requests more, however many replicas. Cells unspent
 * when their second is over are lost, never handed out twice.
 */
final class LocalBudgets {
  static final long LIFETIME_NANOS = 1_000_000_000L;
  static final int MAX_GRANT = 1024;

  /** Clients remembered per event loop; beyond this, new ones are asked about every time. */
  private static final int MAX_CLIENTS = 100_000;

  /** Below this many, lapsed clients are left in place (a few hundred bytes each). */
  private static final int SWEEP_ABOVE = 1024;

  private final double interval;
  private final long windowMs;
  private final int maxGrant;
  private final Map<String, Client> clients = new HashMap<>();
  private long lastSweep;

  LocalBudgets(long limit, long windowMs) {
    this.windowMs = windowMs;
    this.interval = (double) windowMs / limit;
    this.maxGrant = (int) Math.max(1, Math.min(MAX_GRANT, limit * 1000 / windowMs));
  }

  int maxGrant() {
    return maxGrant;
  }

  /** Answers the check from what this loop holds and returns true, or false: ask Redis. */
  boolean answer(RateCheck check, long now) {
    Client c = clients.get(check.key());
    if (c == null || now - c.until >= 0 || (!c.refused && c.left == 0)) {
      return false;
    }
    double elapsedMs = (now - c.since) / 1e6;
    if (c.refused) {
      check.refused((c.until - now + 999_999) / 1_000_000, (long) Math.ceil(c.tat - elapsedMs));
      return true;
    }
    c.left--;
    double tat = c.tat - elapsedMs; // this cell's arrival time, from now
    c.tat += interval;
    long remaining = (long) Math.floor((windowMs - tat) / interval);
    check.admitted(Math.max(0, remaining), (long) Math.ceil(tat));
    return true;
  }

  /** Cells to ask for beyond a client's waiting requests: one less than its next grant. */
  int extra(String key, long now) {
    if (maxGrant == 1) {
      return 0;
    }
    Client c = clients.get(key);
    if (c == null || c.refused || now - c.until >= 0) {
      return 0; // new, refused a moment ago, or idle for a second: start exact again
    }
    return Math.min(maxGrant, c.grant * 2) - 1; // it spent its whole grant in time
  }

  /**
   * Records Redis' answer for a client: {@code waiting} requests asked with {@code extra} cells
   * more, {@code admitted} cells granted, {@code base} its TAT before them (ms from Redis' now).
   */
  void record(String key, int waiting, int extra, int admitted, double base, long now) {
    if (admitted < waiting) {
      double tat = base + admitted * interval;
      long retryMs = (long) Math.ceil(tat + interval - windowMs);
      if (retryMs > 0) {
        remember(key, now, now + retryMs * 1_000_000, tat, 0, 0, true);
      }
    } else if (maxGrant > 1) {
      double next = base + (waiting + 1) * interval;
      remember(key, now, now + LIFETIME_NANOS, next, admitted - waiting, extra + 1, false);
    }
  }

  private void remember(
      String key, long now, long until, double tat, int left, int grant, boolean refused) {
    Client c = clients.get(key);
    if (c == null) {
      if (clients.size() >= SWEEP_ABOVE && !sweep(now)) {
        return;
      }
      c = new Client();
      clients.put(key, c);
    }
    c.since = now;
    c.until = until;
    c.tat = tat;
    c.left = left;
    c.grant = grant;
    c.refused = refused;
  }

  /** Forgets the clients whose knowledge has lapsed; at most once a second. True if any room. */
  private boolean sweep(long now) {
    if (now - lastSweep >= LIFETIME_NANOS) {
      lastSweep = now;
      clients.values().removeIf(c -> now - c.until >= 0);
    }
    return clients.size() < MAX_CLIENTS;
  }

  /** One client's cached state; {@code tat} is in ms from {@code since}. */
  private static final class Client {
    long since;
    long until;
    double tat;
    int left;
    int grant;
    boolean refused;
  }
}
