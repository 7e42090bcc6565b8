package dev.souq.worker.handlers;

import com.fasterxml.jackson.databind.JsonNode;
import dev.souq.shared.messages.Task;
import dev.souq.worker.client.Orders;
import dev.souq.worker.config.WorkerConfig;
import dev.souq.worker.handler.Handles;
import dev.souq.worker.handler.PermanentFailure;
import dev.souq.worker.handler.TaskHandler;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;

/**
 * Takes the payment of a new order (a simulated provider that approves after {@code
 * worker.shop.payment-delay}) and moves the order to PAID through order-service. Safe to run twice:
 * an order that is no longer PENDING is not charged again.
 */
@ApplicationScoped
@Handles(value = "process_payment", timeoutSeconds = 10)
public class ProcessPaymentHandler implements TaskHandler {
  private final Orders orders;
  private final WorkerConfig config;

  private final Vertx vertx;

  ProcessPaymentHandler(Orders orders, WorkerConfig config, Vertx vertx) {
    this.orders = orders;
    this.vertx = vertx;
    this.config = config;
  }

  @Override
  public Uni<Void> handle(Task task) {
    long id = OrderIds.of(task);
    return orders
        .get(id)
        .chain(
            order -> {
              String status = order.path("status").asText();
              if (!"PENDING".equals(status)) {
                Log.infof("Order %d is %s: no payment to take", id, status);
                return Uni.createFrom().voidItem();
              }
              return charge(order, task.attempt())
                  .chain(() -> orders.move(id, "PAID"))
                  .invoke(
                      moved ->
                          Log.infof(
                              moved
                                  ? "Order %d paid"
                                  : "Order %d changed meanwhile: not moved to PAID",
                              id))
                  .replaceWithVoid();
            });
  }

  /**
   * The simulated payment provider: approves any positive amount after a short delay, once it has
   * declined the first {@code worker.shop.payment-declines} attempts ({@code earlier} were made).
   */
  private Uni<Void> charge(JsonNode order, int earlier) {
    if (order.path("total_cents").asLong() <= 0) {
      return Uni.createFrom().failure(new PermanentFailure("Nothing to charge"));
    }
    if (earlier < config.shop().paymentDeclines()) {
      return Uni.createFrom().failure(new IllegalStateException("Card declined (simulated)"));
    }
    Duration delay = config.shop().paymentDelay();
    if (delay.isZero()) {
      return Uni.createFrom().voidItem();
    }
    // A Vert.x timer, not Mutiny's delay: it fires on the job's own context, so the move to PAID
    // that follows stays in the job's trace.
    return Uni.createFrom()
        .emitter(
            approved ->
                vertx.setTimer(Math.max(1, delay.toMillis()), id -> approved.complete(null)));
  }
}
