package dev.souq.worker.handlers;

import dev.souq.shared.messages.Task;
import dev.souq.worker.handler.Handles;
import dev.souq.worker.handler.PermanentFailure;
import dev.souq.worker.handler.TaskHandler;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Gives back what a cancelled order was paid: order-service writes the job with the cancel of a
 * PAID order, in its transaction, with the order's total and the charge that paid it ({@code
 * payment}). The simulated provider refunds at once; a real one, given {@code payment}, refunds
 * that charge once however often it is asked. An order that names no charge (an operator's move to
 * PAID after a bank transfer, or one paid before moves named their charge) gives the provider
 * nothing to give back: its job is a dead letter that says so, an operator's to refund by hand,
 * never a refund the provider cannot match to a charge.
 */
@ApplicationScoped
@Handles(value = "refund_payment", timeoutSeconds = 10)
public class RefundPaymentHandler implements TaskHandler {
  private final PaymentProvider provider;

  RefundPaymentHandler(PaymentProvider provider) {
    this.provider = provider;
  }

  @Override
  public Uni<Void> handle(Task task) {
    long id = OrderIds.of(task);
    Amount amount = Amount.in(task.payload());
    if (amount == null) {
      throw new PermanentFailure("payload.total_cents and payload.currency must name the refund");
    }
    if (task.payload().path("payment").asText("").isEmpty()) {
      throw new PermanentFailure(
          "Order "
              + id
              + " names no charge to refund (marked PAID by hand, or paid before charges were"
              + " named): refund its "
              + amount
              + " by hand");
    }
    provider.refund(id, amount, "cancelled after it was paid");
    return Uni.createFrom().voidItem();
  }
}
