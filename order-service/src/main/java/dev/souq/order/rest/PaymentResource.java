package dev.souq.order.rest;

import dev.souq.order.PaymentVoid;
import dev.souq.order.service.PaymentVoids;
import dev.souq.shared.security.ServiceOrAdmin;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** A payer's charges of an order, as the order keeps or voids them (worker-service's payments). */
@Path("/api/orders/" + OrderResource.ID + "/payments")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "orders")
public class PaymentResource {
  private final PaymentVoids voids;

  PaymentResource(PaymentVoids voids) {
    this.voids = voids;
  }

  @POST
  @Path("void")
  @ServiceOrAdmin
  @Consumes(MediaType.APPLICATION_JSON)
  @SecurityRequirement(name = "admin")
  @Operation(
      summary =
          "A payer unsure whether its move to PAID was made: {kept: true} if the order was paid by"
              + " this payment (whatever its status since), else {kept: false} and the payment is"
              + " voided (its move, however late, is refused with 409), so the payer refunds it;"
              + " 404 if there is no order")
  public Uni<Response> voidUnlessKept(
      @PathParam("id") @Min(1) long id, @NotNull @Valid PaymentVoid request) {
    return voids
        .keepOrVoid(id, request.payment())
        .map(
            kept ->
                kept == null
                    ? OrderResource.notFound(id)
                    : Response.ok(Map.of("kept", kept)).build());
  }
}
