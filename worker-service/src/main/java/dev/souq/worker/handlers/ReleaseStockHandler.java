package dev.souq.worker.handlers;

import com.fasterxml.jackson.databind.JsonNode;
import dev.souq.shared.messages.Task;
import dev.souq.worker.client.Stock;
import dev.souq.worker.handler.Handles;
import dev.souq.worker.handler.PermanentFailure;
import dev.souq.worker.handler.TaskHandler;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

/**
 * Gives back the stock a cancelled order had reserved: {@code payload.placement} (a UUID) names the
 * reservation in catalog-service, {@code payload.order_id} the order. A run repeated after a crash
 * asks again: releasing is catalog-service's to make idempotent (a 2xx for a placement it released
 * already); a 404 means it never had the placement, a dead letter.
 */
@ApplicationScoped
@Handles(value = "release_stock", timeoutSeconds = 15)
public class ReleaseStockHandler implements TaskHandler {
  private final Stock stock;

  ReleaseStockHandler(Stock stock) {
    this.stock = stock;
  }

  @Override
  public Uni<Void> handle(Task task) {
    long order = OrderIds.of(task);
    UUID placement = placement(task);
    return stock
        .release(placement)
        .invoke(() -> Log.infof("Released the stock of order %d (%s)", order, placement));
  }

  private static UUID placement(Task task) {
    JsonNode placement = task.payload().get("placement");
    if (placement != null && placement.isTextual()) {
      try {
        UUID id = UUID.fromString(placement.asText());
        // UUID.fromString also takes short forms such as 1-2-3-4-5: only the canonical one here.
        if (id.toString().equalsIgnoreCase(placement.asText())) {
          return id;
        }
      } catch (IllegalArgumentException e) {
        // reported below
      }
    }
    throw new PermanentFailure("payload.placement must be a UUID");
  }
}
