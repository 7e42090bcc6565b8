package dev.souq.notification.live;

import dev.souq.shared.ratelimit.RateCheck;
import dev.souq.shared.ratelimit.RateLimiter;
import dev.souq.shared.ratelimit.RatePolicies;
import dev.souq.shared.ratelimit.RatePolicy;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Counts the opening of a live connection (a WebSocket upgrade or an SSE request) against its
 * client's rate budget, the one the REST endpoints share, before any session lookup: opening
 * connections in a loop is refused with 429 and Retry-After like any other flood.
 */
@Singleton
class OpenBudget {
  /** Why an open is refused: the status, its headers and a sentence for a problem+json body. */
  record Refusal(int status, Map<String, List<String>> headers, String detail) {}

  /** The Retry-After of a connection refused because a connection cap is reached (503 or 429). */
  static final Map<String, List<String>> RETRY_LATER = Map.of("Retry-After", List.of("10"));

  private final RateLimiter limiter;
  private final RatePolicy perIp;

  OpenBudget(RateLimiter limiter, RatePolicies budgets) {
    this.limiter = limiter;
    this.perIp = budgets.perIp();
  }

  /** Null if {@code client} (an address, as {@code ClientAddress} gives it) may open one now. */
  Uni<Refusal> check(String client) {
    if (!limiter.enabled()) {
      return Uni.createFrom().nullItem();
    }
    return Uni.createFrom().emitter(emitter -> check(client, emitter::complete));
  }

  /**
   * Gives {@code answer} null if {@code client} may open one now, else why not: exactly once,
   * within the limiter's timeout, and at once when limits are off.
   */
  void check(String client, Consumer<Refusal> answer) {
    if (!limiter.enabled()) {
      answer.accept(null);
      return;
    }
    limiter.check(perIp, new Check(perIp.key(client), answer));
  }

  /** One open's check; the verdict goes to {@code answer} once. */
  private final class Check implements RateCheck {
    private final String key;
    private final Consumer<Refusal> answer;

    Check(String key, Consumer<Refusal> answer) {
      this.key = key;
      this.answer = answer;
    }

    @Override
    public String key() {
      return key;
    }

    @Override
    public void admitted(long remaining, long resetMs) {
      answer.accept(null);
    }

    @Override
    public void refused(long retryMs, long resetMs) {
      limiter.refused();
      answer.accept(
          new Refusal(
              429,
              Map.of(
                  "Retry-After",
                  List.of(Long.toString(RateLimiter.retryAfterSeconds(retryMs))),
                  "RateLimit-Policy",
                  List.of(perIp.header()),
                  "RateLimit",
                  List.of(perIp.state(0, resetMs))),
              "Too many requests from this client: try again after Retry-After seconds"));
    }

    @Override
    public void unavailable(Throwable failure) {
      answer.accept(
          limiter.failsOpen(failure)
              ? null
              : new Refusal(
                  503,
                  Map.of("Retry-After", List.of(Long.toString(limiter.unavailableRetryAfter()))),
                  "The rate limiter's store is unavailable: try again after Retry-After seconds"));
    }
  }
}
