package dev.souq.catalog.rest;

import dev.souq.catalog.StockReservationInput;
import dev.souq.catalog.repository.StockRows;
import dev.souq.catalog.service.StockReservations;
import dev.souq.shared.problem.DependencyFailures;
import dev.souq.shared.problem.Problem;
import dev.souq.shared.problem.ProductBusy;
import dev.souq.shared.security.ServiceOrAdmin;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Stock held for order placements, called by order-service (on placing an order) and worker-service
 * (on releasing a cancelled one's stock) with the service token. Both calls are idempotent per
 * placement, so either may be retried whenever its outcome is unknown.
 */
@Path("/api/stock/reservations/{placement: [0-9a-fA-F]{8}(-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}}")
@Produces(MediaType.APPLICATION_JSON)
@ServiceOrAdmin
@SecurityRequirement(name = "admin")
@Tag(name = "stock")
public class StockResource {
  /** The answer to a reservation: what the placement holds. */
  record Held(UUID placement, String state, List<StockRows.Sold> lines) {
    Held(UUID placement, List<StockRows.Sold> lines) {
      this(placement, "HELD", lines);
    }
  }

  private final StockReservations reservations;

  StockResource(StockReservations reservations) {
    this.reservations = reservations;
  }

  @PUT
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(summary = "Reserve an order's lines, all or none (order-service)")
  @APIResponse(
      responseCode = "201",
      description = "Reserved now; lines: each product as sold (sku, name, price, currency)")
  @APIResponse(responseCode = "200", description = "Reserved before (a retry): the same lines")
  @APIResponse(
      responseCode = "409",
      description = "A line wants more than is left: product_id and available say which")
  @APIResponse(responseCode = "410", description = "The placement was released first")
  @APIResponse(
      responseCode = "422",
      description = "A product repeated or unknown, or products priced in different currencies")
  @APIResponse(
      responseCode = "503",
      description =
          "Unavailable; with problem type " + ProductBusy.TYPE + ": a product's row stayed locked")
  public Uni<Response> reserve(
      @PathParam("placement") String placement, @NotNull @Valid StockReservationInput input) {
    if (input.repeatsAProduct()) {
      return Uni.createFrom()
          .item(Problem.unprocessable("Each product may appear on one line only"));
    }
    UUID id = UUID.fromString(placement);
    return reservations
        .reserve(
            id,
            input.orderId(),
            input.lines().stream()
                .map(l -> new StockReservations.Line(l.productId(), l.quantity()))
                .toList())
        .map(
            reserved ->
                Response.status(reserved.now() ? Response.Status.CREATED : Response.Status.OK)
                    .entity(new Held(id, reserved.lines()))
                    .build())
        // A rush on one product, not PostgreSQL away: told apart for order-service's breaker.
        .onFailure(
            failure ->
                failure instanceof StockRows.RowsBusyException
                    || DependencyFailures.lockTimeout(failure))
        .recoverWithItem(ProductBusy::response);
  }

  @DELETE
  @Operation(
      summary =
          "Release a placement's stock, once (worker-service); a placement never reserved can no"
              + " longer be")
  @APIResponse(responseCode = "204", description = "Released, now or before")
  public Uni<Response> release(@PathParam("placement") String placement) {
    return reservations
        .release(UUID.fromString(placement))
        .map(released -> Response.noContent().build());
  }
}
