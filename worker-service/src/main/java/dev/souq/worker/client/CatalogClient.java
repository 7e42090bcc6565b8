package dev.souq.worker.client;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** catalog-service's stock reservations ({@code CATALOG_URL}), called with the service token. */
@RegisterRestClient(configKey = "catalog")
@Path("/api/stock/reservations")
public interface CatalogClient {

  /** Gives back the stock an order's placement reserved. */
  @DELETE
  @Path("{placement}")
  Uni<Void> release(
      @PathParam("placement") String placement, @HeaderParam("Authorization") String authorization);
}
