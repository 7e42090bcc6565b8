package dev.souq.worker.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.souq.shared.messages.JobFate;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** order-service's operator API ({@code ORDER_URL}), called with the admin token. */
@RegisterRestClient(configKey = "order")
@Path("/api/orders")
public interface OrderClient {

  @GET
  @Path("{id}")
  Uni<JsonNode> get(@PathParam("id") long id, @HeaderParam("Authorization") String authorization);

  @POST
  @Path("{id}/status")
  @Consumes(MediaType.APPLICATION_JSON)
  Uni<JsonNode> changeStatus(
      @PathParam("id") long id,
      @HeaderParam("Authorization") String authorization,
      StatusChange change);

  /**
   * After a move to PAID whose outcome is unknown: {@code {kept: true}} if the order is PAID by the
   * payment, else {@code {kept: false}}, the payment voided (its move refused however late).
   */
  @POST
  @Path("{id}/payments/void")
  @Consumes(MediaType.APPLICATION_JSON)
  Uni<JsonNode> voidPayment(
      @PathParam("id") long id,
      @HeaderParam("Authorization") String authorization,
      PaymentVoid payment);

  /** Puts what became of one of the order's jobs on its timeline (204). */
  @POST
  @Path("{id}/jobs")
  @Consumes(MediaType.APPLICATION_JSON)
  Uni<Void> reportJob(
      @PathParam("id") long id, @HeaderParam("Authorization") String authorization, JobFate fate);

  /** Cancels up to {@code limit} orders left unpaid too long: {@code {cancelled, more}}. */
  @POST
  @Path("unpaid/cancel")
  Uni<JsonNode> cancelUnpaid(
      @QueryParam("limit") int limit, @HeaderParam("Authorization") String authorization);

  /**
   * The body of a status change: a payer's also names what it charged and the charge (else null).
   */
  record StatusChange(String status, Long amountCents, String currency, String payment) {}

  /** The body of a payment's void. */
  record PaymentVoid(String payment) {}
}
