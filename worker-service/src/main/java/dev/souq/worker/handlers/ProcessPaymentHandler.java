package dev.souq.worker.handlers;

import dev.souq.shared.messages.Task;
import dev.souq.worker.client.Orders;
import dev.souq.worker.handler.Handles;
import dev.souq.worker.handler.PermanentFailure;
import dev.souq.worker.handler.TaskHandler;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Takes the payment of a new order (a simulated provider that approves after {@code
 * worker.shop.payment-delay}) and moves the order to PAID through order-service, naming the charge
 * (the job's id and attempt).
 *
 * <p>A first attempt enqueued moments ago charges the amount its payload carries, which
 * order-service wrote in the transaction that placed the order: one call to order-service instead
 * of two on checkout's busiest path. A retry, an older job or one without the amount reads the
 * order first, and one no longer PENDING is not charged. The move to PAID names the amount charged,
 * and order-service refuses it unless that is the order's total: the job proposes, the order
 * decides. A charge the order does not end up PAID by is refunded: when the move's outcome is
 * unknown (a timeout, a lost answer), order-service says whether the order is PAID by the charge or
 * voids it, so that its move cannot land after the refund.
 */
@ApplicationScoped
@Handles(value = "process_payment", timeoutSeconds = 10)
public class ProcessPaymentHandler implements TaskHandler {
  /**
   * How old a first attempt may be and still be charged without a read. So young, the order is
   * almost always still PENDING (a cancel that came first is refunded); an older job may have
   * waited behind a backlog or an outage, long enough for the order to be cancelled as unpaid.
   */
  static final Duration FRESH = Duration.ofSeconds(5);

  private static final Pattern PRINTABLE = Pattern.compile("[!-~]{1,128}");
  private static final SecureRandom NONCES = new SecureRandom();

  private final Orders orders;
  private final PaymentProvider provider;

  ProcessPaymentHandler(Orders orders, PaymentProvider provider) {
    this.orders = orders;
    this.provider = provider;
  }

  @Override
  public Uni<Void> handle(Task task) {
    long id = OrderIds.of(task);
    Amount carried = fresh(task) ? Amount.in(task.payload()) : null;
    Uni<Amount> due = carried != null ? Uni.createFrom().item(carried) : owed(id);
    return due.chain(
        amount -> amount == null ? Uni.createFrom().voidItem() : pay(id, amount, task));
  }

  /** A first attempt enqueued less than {@link #FRESH} ago. */
  private static boolean fresh(Task task) {
    return task.attempt() == 0
        && task.enqueuedAt() != null
        && task.enqueuedAt().isAfter(Instant.now().minus(FRESH));
  }

  /** What the order owes as order-service reads it now; null if it is no longer PENDING. */
  private Uni<Amount> owed(long id) {
    return orders
        .get(id)
        .map(
            order -> {
              String status = order.path("status").asText();
              if (!"PENDING".equals(status)) {
                Log.infof("Order %d is %s: no payment to take", id, status);
                return null;
              }
              long cents = order.path("total_cents").asLong();
              if (cents <= 0) {
                throw new PermanentFailure("Nothing to charge");
              }
              return new Amount(cents, order.path("currency").asText());
            });
  }

  /**
   * Charges, then marks the order paid with what was charged. Any charge the order does not end up
   * PAID by is given back: a refused move, and a failed one the order does not keep (the retry
   * charges again).
   */
  private Uni<Void> pay(long id, Amount amount, Task task) {
    String payment = chargeName(task);
    return provider
        .charge(task.attempt())
        .chain(
            () ->
                orders
                    .paid(id, amount.cents(), amount.currency(), payment)
                    .onFailure()
                    .call(failure -> refundUnlessKept(id, amount, payment)))
        .invoke(
            moved -> {
              if (moved) {
                Log.infof("Order %d paid", id);
              } else {
                refund(id, amount);
              }
            })
        .replaceWithVoid();
  }

  /**
   * After a move to PAID that failed: what was lost may be only its answer, or the move may still
   * be waiting for the order's row lock, so the order decides, under that lock. The charge is kept
   * if the order is PAID by it (the retry then finds nothing to pay) and given back otherwise, the
   * order having voided it. If order-service cannot be asked either, the charge is neither: it is
   * counted as unsettled and logged for an operator, and the retry charges again if the order is
   * still PENDING.
   */
  private Uni<Void> refundUnlessKept(long id, Amount amount, String payment) {
    return orders
        .kept(id, payment)
        .invoke(
            kept -> {
              if (!kept) {
                refund(id, amount);
              }
            })
        .onFailure()
        .invoke(
            failure -> {
              provider.unsettled();
              Log.errorf(
                  "Order %d: payment %s of %s neither kept nor refunded, order-service could not"
                      + " say whether it paid the order (%s): settle it with the provider",
                  id, payment, amount, failure.toString());
            })
        .onFailure()
        .recoverWithNull()
        .replaceWithVoid();
  }

  /**
   * The name of this run's charge: the job's id, its attempt, and a nonce, since a job a reaper
   * handed back (its worker stalled or died) runs again with the same attempt, maybe beside the
   * first run, and each run charges on its own. An id order-service would not take as a name
   * (printable ASCII, no space, at most 128 here) is named by a UUID made from it.
   */
  static String chargeName(Task task) {
    String id = task.id() == null ? "" : task.id();
    String named =
        PRINTABLE.matcher(id).matches()
            ? id
            : "id-" + UUID.nameUUIDFromBytes(id.getBytes(StandardCharsets.UTF_8));
    return named + "#" + task.attempt() + "." + HexFormat.of().toHexDigits(NONCES.nextInt());
  }

  /** Gives back a charge the order was not marked paid by. */
  private void refund(long id, Amount amount) {
    provider.refund(id, amount, "not marked PAID");
  }
}
