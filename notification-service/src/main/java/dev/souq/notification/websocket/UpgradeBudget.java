package dev.souq.notification.websocket;

import dev.souq.shared.ratelimit.ClientAddress;
import dev.souq.shared.ratelimit.RateCheck;
import dev.souq.shared.ratelimit.RateLimiter;
import io.quarkus.websockets.next.HttpUpgradeCheck;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Counts every WebSocket upgrade against its client's rate budget, the one the REST endpoints
 * share, before the upgrade and so before any session lookup: opening sockets in a loop is refused
 * with 429 and Retry-After like any other flood.
 */
@ApplicationScoped
class UpgradeBudget implements HttpUpgradeCheck {
  private static final CheckResult PERMIT = CheckResult.permitUpgradeSync();

  private final RateLimiter limiter;

  UpgradeBudget(RateLimiter limiter) {
    this.limiter = limiter;
  }

  @Override
  public Uni<CheckResult> perform(HttpUpgradeContext context) {
    // Who the client is (behind trusted proxies too), for the per-client connection cap at open;
    // set on every upgrade, so a value the client sent itself never survives.
    String client = ClientAddress.of(context.httpRequest().remoteAddress());
    context.httpRequest().headers().set(Handshake.CLIENT, client);
    if (!limiter.enabled()) {
      return Uni.createFrom().item(PERMIT);
    }
    String key = limiter.perIp().key(client);
    return Uni.createFrom()
        .emitter(emitter -> limiter.check(limiter.perIp(), new Check(key, emitter::complete)));
  }

  /** One upgrade's check; the verdict goes to {@code answer} once. */
  private final class Check implements RateCheck {
    private final String key;
    private final Consumer<CheckResult> answer;

    Check(String key, Consumer<CheckResult> answer) {
      this.key = key;
      this.answer = answer;
    }

    @Override
    public String key() {
      return key;
    }

    @Override
    public void admitted(long remaining, long resetMs) {
      answer.accept(PERMIT);
    }

    @Override
    public void refused(long retryMs, long resetMs) {
      limiter.refused();
      answer.accept(
          CheckResult.rejectUpgradeSync(
              429,
              Map.of(
                  "Retry-After",
                  List.of(Long.toString(RateLimiter.retryAfterSeconds(retryMs))),
                  "RateLimit-Policy",
                  List.of(limiter.perIp().header()))));
    }

    @Override
    public void unavailable(Throwable failure) {
      answer.accept(
          limiter.failsOpen(failure)
              ? PERMIT
              : CheckResult.rejectUpgradeSync(
                  503,
                  Map.of("Retry-After", List.of(Long.toString(limiter.unavailableRetryAfter())))));
    }
  }
}
