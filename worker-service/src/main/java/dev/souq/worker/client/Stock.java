package dev.souq.worker.client;

import dev.souq.shared.security.ServiceToken;
import dev.souq.worker.handler.PermanentFailure;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;
import jakarta.ws.rs.WebApplicationException;
import java.util.UUID;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * The handlers' view of catalog-service's stock: releases a placement's reservation, translating
 * answers into outcomes: 400, 404 and 422 are permanent (dead letter), anything else is worth a
 * retry.
 */
@Singleton
public class Stock {
  private final CatalogClient client;
  private final String authorization;

  Stock(@RestClient CatalogClient client, ServiceToken token) {
    this.client = client;
    this.authorization = token.authorization();
  }

  /** Releases the stock reserved for {@code placement} (2xx: released). */
  public Uni<Void> release(UUID placement) {
    return client
        .release(placement.toString(), authorization)
        .onFailure()
        .transform(f -> translate(placement, f));
  }

  private static Throwable translate(UUID placement, Throwable failure) {
    int status =
        failure instanceof WebApplicationException web ? web.getResponse().getStatus() : -1;
    return switch (status) {
      case 400, 404, 422 ->
          new PermanentFailure(
              "catalog-service refused to release reservation " + placement + " (" + status + ")");
      case 401, 403 ->
          new IllegalStateException(
              "catalog-service refused the service token (is SOUQ_SERVICE_TOKEN the same?)");
      default -> failure;
    };
  }
}
