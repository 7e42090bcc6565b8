package dev.souq.worker.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.souq.shared.security.ServiceToken;
import dev.souq.worker.handler.PermanentFailure;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;
import jakarta.ws.rs.WebApplicationException;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * The handlers' view of order-service: reads an order and moves it along, translating answers into
 * outcomes: 404 is permanent (dead letter), 409 means the move is already done or no longer
 * allowed, anything else is worth a retry.
 */
@Singleton
public class Orders {
  private final OrderClient client;
  private final String authorization;

  Orders(@RestClient OrderClient client, ServiceToken token) {
    this.client = client;
    this.authorization = token.authorization();
  }

  /** The order (OrderView JSON); fails permanently if it does not exist. */
  public Uni<JsonNode> get(long id) {
    return client.get(id, authorization).onFailure().transform(f -> translate(id, f));
  }

  /** Moves the order to {@code status}; true if moved, false if the machine refused it (409). */
  public Uni<Boolean> move(long id, String status) {
    return client
        .changeStatus(id, authorization, new OrderClient.StatusChange(status))
        .map(order -> true)
        .onFailure(f -> status(f) == 409)
        .recoverWithItem(false)
        .onFailure()
        .transform(f -> translate(id, f));
  }

  private static Throwable translate(long id, Throwable failure) {
    return switch (status(failure)) {
      case 404 -> new PermanentFailure("order-service has no order " + id);
      case 401, 403 ->
          new IllegalStateException(
              "order-service refused the service token (is SOUQ_SERVICE_TOKEN the same?)");
      default -> failure;
    };
  }

  private static int status(Throwable failure) {
    return failure instanceof WebApplicationException web ? web.getResponse().getStatus() : -1;
  }
}
