package dev.souq.worker.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.souq.shared.messages.JobFate;
import dev.souq.shared.security.ServiceToken;
import dev.souq.worker.handler.PermanentFailure;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;
import jakarta.ws.rs.WebApplicationException;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * The handlers' view of order-service: reads an order, marks it paid and has the unpaid ones
 * cancelled, translating answers into outcomes: 404 is permanent (dead letter), 409 means the move
 * is already done or no longer allowed, anything else is worth a retry.
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

  /**
   * Moves the order to PAID for {@code cents} of {@code currency} charged by {@code payment}; true
   * if moved, false if order-service refused it (409: the machine does not allow it, the order owes
   * another sum, or the payment was voided).
   */
  public Uni<Boolean> paid(long id, long cents, String currency, String payment) {
    return client
        .changeStatus(
            id, authorization, new OrderClient.StatusChange("PAID", cents, currency, payment))
        .map(order -> true)
        .onFailure(f -> status(f) == 409)
        .recoverWithItem(false)
        .onFailure()
        .transform(f -> translate(id, f));
  }

  /**
   * After a move to PAID whose outcome is unknown: true if the order is PAID by {@code payment}
   * (keep it), false if it is not, and never will be (refund it).
   */
  public Uni<Boolean> kept(long id, String payment) {
    return client
        .voidPayment(id, authorization, new OrderClient.PaymentVoid(payment))
        .map(
            answer -> {
              JsonNode kept = answer == null ? null : answer.get("kept");
              if (kept == null || !kept.isBoolean()) {
                throw new IllegalStateException("order-service answered a void without kept");
              }
              return kept.asBoolean();
            })
        .onFailure()
        .transform(f -> translate(id, f));
  }

  /** Tells order-service what became of one of the order's jobs, for its owner's timeline. */
  public Uni<Void> reportJob(long id, JobFate fate) {
    return client.reportJob(id, authorization, fate).onFailure().transform(f -> translate(id, f));
  }

  /** One round of cancelling unpaid orders: how many it cancelled, whether more are left. */
  public record Cancelled(int cancelled, boolean more) {}

  /** Cancels up to {@code limit} of the orders left unpaid too long. */
  public Uni<Cancelled> cancelUnpaid(int limit) {
    return client
        .cancelUnpaid(limit, authorization)
        .map(
            answer -> {
              JsonNode cancelled = answer == null ? null : answer.get("cancelled");
              if (cancelled == null || !cancelled.canConvertToInt()) {
                throw new IllegalStateException(
                    "order-service answered the cancellation of unpaid orders without a count");
              }
              return new Cancelled(cancelled.asInt(), answer.path("more").asBoolean(false));
            })
        .onFailure()
        .transform(
            f ->
                status(f) == 404
                    ? new PermanentFailure(
                        "order-service has no /api/orders/unpaid/cancel (is it older than the"
                            + " worker?)")
                    : tokenRefused(f));
  }

  private static Throwable translate(long id, Throwable failure) {
    return status(failure) == 404
        ? new PermanentFailure("order-service has no order " + id)
        : tokenRefused(failure);
  }

  /** 401 and 403 as a message that says what to check; anything else as it is. */
  private static Throwable tokenRefused(Throwable failure) {
    int status = status(failure);
    return status == 401 || status == 403
        ? new IllegalStateException(
            "order-service refused the service token (is SOUQ_SERVICE_TOKEN the same?)")
        : failure;
  }

  private static int status(Throwable failure) {
    return failure instanceof WebApplicationException web ? web.getResponse().getStatus() : -1;
  }
}
