package dev.souq.order.service;

import dev.souq.order.Amount;
import dev.souq.order.CustomerOrder;
import dev.souq.order.OrderStatus;
import io.vertx.mutiny.sqlclient.Row;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

/**
 * An order as a status change reads it under its row lock, and the rules that decide the move: the
 * machine's, the narrower one of a cancel that only takes back an unpaid order, and a payer's
 * amount, which must be what the order owes.
 */
record LockedOrder(
    long id,
    String userId,
    OrderStatus status,
    Long totalCents,
    String currency,
    Instant createdAt,
    UUID placement,
    String stockState,
    String paidBy,
    List<String> voidedPayments) {
  private static final String RESERVED = "RESERVED";

  /**
   * Order {@code id} from the lock's row (StatusWriter's LOCK_ORDER and LOCK_OWN_ORDER columns).
   */
  static LockedOrder of(long id, Row row) {
    return new LockedOrder(
        id,
        row.getString("user_id"),
        OrderStatus.valueOf(row.getString("status")),
        row.getLong("total_cents"),
        row.getString("currency"),
        row.getOffsetDateTime("created_at").toInstant(),
        row.getUUID("placement"),
        row.getString("stock_state"),
        row.getString("paid_by"),
        voided(row.getArrayOfStrings("voided_payments")));
  }

  private static List<String> voided(String[] payments) {
    return payments == null ? List.of() : List.of(payments);
  }

  /**
   * Why the move to {@code next} is not allowed, or null. {@code pendingOnly}: a cancel that only
   * takes back an unpaid order (the shopper's, the unpaid-order job's); {@code charged}: what a
   * payer charged (null: nothing); {@code payment}: the charge, refused once voided (null: none
   * named).
   */
  RuntimeException refusal(OrderStatus next, boolean pendingOnly, Amount charged, String payment) {
    if (!status.canMoveTo(next)) {
      return new IllegalTransitionException(status, next);
    }
    if (pendingOnly && status != OrderStatus.PENDING) {
      return IllegalTransitionException.notCancellableByShopper(status);
    }
    if (charged != null && !owes(charged)) {
      return IllegalTransitionException.notWhatItOwes(charged);
    }
    if (payment != null && voidedPayments.contains(payment)) {
      return IllegalTransitionException.voided(payment);
    }
    return null;
  }

  private boolean owes(Amount amount) {
    return totalCents != null && totalCents == amount.cents() && amount.currency().equals(currency);
  }

  /** Whether the order holds reserved stock, which a cancel gives back. */
  boolean holdsStock() {
    return RESERVED.equals(stockState);
  }

  /** The order as it is once moved to {@code next}. */
  CustomerOrder movedTo(OrderStatus next) {
    return new CustomerOrder(
        id,
        userId,
        next,
        totalCents,
        currency,
        createdAt,
        // PostgreSQL keeps microseconds: the answer shows what a later read shows.
        Instant.now().truncatedTo(ChronoUnit.MICROS));
  }
}
