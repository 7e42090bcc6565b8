package dev.souq.bench.bare;

import io.smallrye.common.annotation.NonBlocking;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * The ceiling for any Souq endpoint on a box: one GET that serialises a fixed product (~300 bytes
 * of JSON, the size of a catalog answer) through Jackson on the event loop, and does nothing else.
 */
@Path("/api/products")
public class ProductResource {
  /** The fields of a catalog product, so Jackson does the same amount of work. */
  public record Product(
      long id,
      String sku,
      String name,
      String description,
      long priceCents,
      String currency,
      int stock,
      String category,
      String imageUrl,
      String updatedAt) {}

  private static final Product PRODUCT =
      new Product(
          1,
          "SOUQ-0001",
          "Brass coffee pot (dallah), 1 litre",
          "Hand-hammered brass dallah with a long spout and a hinged lid, for Arabic coffee.",
          4500,
          "EUR",
          120,
          "kitchen",
          "https://img.souq.dev/products/1.jpg",
          "2026-11-30T00:00:00Z");

  // On the event loop, as the catalog's Uni-returning endpoint is: no worker-thread hop.
  @NonBlocking
  @GET
  @Path("{id}")
  @Produces(MediaType.APPLICATION_JSON)
  public Product get(@PathParam("id") long id) {
    return PRODUCT;
  }
}
