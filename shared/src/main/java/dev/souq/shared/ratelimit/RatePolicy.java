package dev.souq.shared.ratelimit;

/**
 * A named budget: {@code perMinute} requests per client per minute, kept in Redis under {@code
 * keyPrefix + client} (GCRA), named in {@code RateLimit-Policy}; the client is the session where
 * {@code perSession} and the request has one, else the address. {@code index} is its place among
 * the policies {@link RatePolicies} holds.
 */
public record RatePolicy(
    int index, String name, int perMinute, String keyPrefix, boolean perSession) {
  /** The {@code RateLimit-Policy} header item, e.g. {@code "per-ip";q=100;w=60}. */
  public String header() {
    return "\"" + name + "\";q=" + perMinute + ";w=60";
  }

  /** The {@code RateLimit} header item: what is left and when the budget is full again. */
  public String state(long remaining, long resetMs) {
    return "\"" + name + "\";r=" + remaining + ";t=" + Math.max(0, (resetMs + 999) / 1000);
  }

  /** The Redis key of {@code client}'s budget. */
  public String key(String client) {
    return keyPrefix + client;
  }
}
