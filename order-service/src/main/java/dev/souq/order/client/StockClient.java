package dev.souq.order.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** catalog-service's stock reservations ({@code CATALOG_URL}). */
@RegisterRestClient(configKey = "catalog")
@Path("/api/stock/reservations")
public interface StockClient {
  /**
   * Reserves the lines for the placement: 201 now, 200 before, both with the lines as sold; 409
   * short; 410 released; 422 a product unknown or the currencies mixed.
   */
  @PUT
  @Path("{placement}")
  @Consumes(MediaType.APPLICATION_JSON)
  Uni<Held> reserve(
      @PathParam("placement") String placement,
      @HeaderParam("Authorization") String authorization,
      Reservation reservation);

  /** The body of a reservation: the order and its lines, each product once. */
  record Reservation(long orderId, List<Line> lines) {
    /** A product and how many of it. */
    public record Line(long productId, int quantity) {}
  }

  /** The answer to a reservation: what the placement holds. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  record Held(List<ReservedLine> lines) {}
}
