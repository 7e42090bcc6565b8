package dev.souq.notification.live;

import dev.souq.notification.metrics.NotificationMetrics;
import dev.souq.shared.ratelimit.ClientAddress;
import io.quarkus.websockets.next.HttpUpgradeCheck;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Refuses a WebSocket upgrade before it happens: with 503 if this instance has no slot left for
 * another socket ({@link HeldSockets}), with 429 if the client is over its {@link OpenBudget}. The
 * slot is taken before the rate check, so upgrades waiting on Redis count against the cap too.
 */
@ApplicationScoped
@Priority(OriginCheck.PRIORITY - 100) // after the Origin
class UpgradeBudget implements HttpUpgradeCheck {
  private static final CheckResult PERMIT = CheckResult.permitUpgradeSync();
  private static final CheckResult FULL =
      CheckResult.rejectUpgradeSync(503, OpenBudget.RETRY_LATER);

  private final OpenBudget budget;
  private final HeldSockets held;
  private final NotificationMetrics metrics;

  UpgradeBudget(OpenBudget budget, HeldSockets held, NotificationMetrics metrics) {
    this.budget = budget;
    this.held = held;
    this.metrics = metrics;
  }

  @Override
  public Uni<CheckResult> perform(HttpUpgradeContext context) {
    // Who the client is (behind trusted proxies too), for the per-client connection cap at open;
    // set on every upgrade, so a value the client sent itself never survives.
    String client = ClientAddress.of(context.httpRequest().remoteAddress());
    context.httpRequest().headers().set(Handshake.CLIENT, client);
    if (!held.reserve(context.httpRequest())) {
      return Uni.createFrom().item(full()); // not worth a rate check in Redis
    }
    // One emitter, not a chain of operators: each would capture the request's context, and in a
    // storm thousands of upgrades wait here.
    return Uni.createFrom()
        .emitter(
            emitter ->
                budget.check(
                    client,
                    refusal -> {
                      if (refusal == null) {
                        emitter.complete(PERMIT);
                        return;
                      }
                      held.release(context.httpRequest());
                      emitter.complete(
                          CheckResult.rejectUpgradeSync(refusal.status(), refusal.headers()));
                    }));
  }

  private CheckResult full() {
    metrics.rejected();
    return FULL;
  }
}
