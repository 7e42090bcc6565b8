package dev.souq.order.client;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** catalog-service's product API ({@code CATALOG_URL}). */
@RegisterRestClient(configKey = "catalog")
@Path("/api/products")
public interface CatalogClient {
  @GET
  @Path("/{id}")
  Uni<CatalogProduct> product(
      @PathParam("id") long id, @HeaderParam("Authorization") String authorization);
}
