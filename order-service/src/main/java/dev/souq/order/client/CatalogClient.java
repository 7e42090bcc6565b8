package dev.souq.order.client;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** catalog-service's product API ({@code CATALOG_URL}). */
@RegisterRestClient(configKey = "catalog")
@Path("/api/products")
public interface CatalogClient {
  /** Several products in one call: {@code ids} is a comma-separated list of at most 100 ids. */
  @GET
  @Path("/batch")
  Uni<CatalogBatch> products(
      @QueryParam("ids") String ids, @HeaderParam("Authorization") String authorization);
}
