package dev.souq.notification.live;

import dev.souq.shared.ratelimit.ClientAddress;
import io.quarkus.websockets.next.HttpUpgradeCheck;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** Refuses a WebSocket upgrade over its client's {@link OpenBudget}, before the upgrade. */
@ApplicationScoped
class UpgradeBudget implements HttpUpgradeCheck {
  private static final CheckResult PERMIT = CheckResult.permitUpgradeSync();

  private final OpenBudget budget;

  UpgradeBudget(OpenBudget budget) {
    this.budget = budget;
  }

  @Override
  public Uni<CheckResult> perform(HttpUpgradeContext context) {
    // Who the client is (behind trusted proxies too), for the per-client connection cap at open;
    // set on every upgrade, so a value the client sent itself never survives.
    String client = ClientAddress.of(context.httpRequest().remoteAddress());
    context.httpRequest().headers().set(Handshake.CLIENT, client);
    return budget
        .check(client)
        .map(
            refusal ->
                refusal == null
                    ? PERMIT
                    : CheckResult.rejectUpgradeSync(refusal.status(), refusal.headers()));
  }
}
