package dev.souq.worker.handlers;

import dev.souq.shared.messages.Task;
import dev.souq.worker.client.Orders;
import dev.souq.worker.handler.Handles;
import dev.souq.worker.handler.TaskHandler;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Has order-service cancel the orders left unpaid too long (it decides which, and releases their
 * stock), a hundred per call while it says there are more; at most {@value #MAX_CALLS} calls per
 * job, so a backlog is worked off over a few ticks rather than in one endless run.
 */
@ApplicationScoped
@Handles(value = "cancel_unpaid_orders", timeoutSeconds = 120)
public class CancelUnpaidOrdersHandler implements TaskHandler {
  static final int LIMIT = 100;
  static final int MAX_CALLS = 50;

  private final Orders orders;

  CancelUnpaidOrdersHandler(Orders orders) {
    this.orders = orders;
  }

  @Override
  public Uni<Void> handle(Task task) {
    return round(1, 0);
  }

  private Uni<Void> round(int call, long cancelled) {
    return orders
        .cancelUnpaid(LIMIT)
        .chain(
            answer -> {
              long total = cancelled + answer.cancelled();
              if (answer.more() && call < MAX_CALLS) {
                return round(call + 1, total);
              }
              if (answer.more()) {
                Log.infof("Cancelled %d unpaid orders; more are left for the next run", total);
              } else if (total > 0) {
                Log.infof("Cancelled %d unpaid orders", total);
              }
              return Uni.createFrom().voidItem();
            });
  }
}
