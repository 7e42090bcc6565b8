package dev.souq.worker.handlers;

import com.fasterxml.jackson.databind.JsonNode;
import dev.souq.shared.messages.Task;
import dev.souq.worker.client.Stock;
import dev.souq.worker.config.WorkerConfig;
import dev.souq.worker.handler.Handles;
import dev.souq.worker.handler.PermanentFailure;
import dev.souq.worker.handler.Snooze;
import dev.souq.worker.handler.TaskHandler;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.UUID;

/**
 * Gives back the stock a cancelled order had reserved: {@code payload.placement} (a UUID) names the
 * reservation in catalog-service, {@code payload.order_id} the order. A run repeated after a crash
 * asks again: catalog-service releases a placement once and answers 204 for one released before (or
 * never reserved, which it then refuses for good). A job that is never run loses its stock for
 * good, so a failure that may pass (catalog-service away) never makes it a dead letter: once its
 * ordinary retries are spent it snoozes {@link #PATIENCE} at a time, counted as snoozed, until the
 * catalog answers.
 */
@ApplicationScoped
@Handles(value = "release_stock", timeoutSeconds = 15)
public class ReleaseStockHandler implements TaskHandler {
  static final Duration PATIENCE = Duration.ofMinutes(5);

  private final Stock stock;
  private final WorkerConfig config;

  ReleaseStockHandler(Stock stock, WorkerConfig config) {
    this.stock = stock;
    this.config = config;
  }

  @Override
  public Uni<Void> handle(Task task) {
    long order = OrderIds.of(task);
    UUID placement = placement(task);
    return stock
        .release(placement)
        .invoke(() -> Log.infof("Released the stock of order %d (%s)", order, placement))
        .onFailure(f -> !(f instanceof PermanentFailure) && lastAttempt(task))
        .transform(f -> new Snooze(PATIENCE, "catalog-service did not release yet: " + f));
  }

  /** Whether a failure now would make the job a dead letter. */
  private boolean lastAttempt(Task task) {
    return task.attempt() + 1 >= config.maxAttempts();
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
