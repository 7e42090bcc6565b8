package dev.souq.order.service;

import dev.souq.order.Amount;
import dev.souq.order.CustomerOrder;
import dev.souq.order.OrderStatus;

/**
 * The jobs a move owes, written in its own transaction (null: none): a cancel of an order that
 * holds stock owes its release_stock job, a cancel of a paid one its refund_payment job.
 */
record OwedJobs(String release, String refund) {
  private static final String RELEASED = "RELEASED";

  /** What moving {@code locked} to {@code order}'s status owes. */
  static OwedJobs of(OutboxMessages messages, CustomerOrder order, LockedOrder locked) {
    if (order.status() != OrderStatus.CANCELLED) {
      return new OwedJobs(null, null);
    }
    return new OwedJobs(release(messages, order, locked), refund(messages, order, locked));
  }

  /** The order's stock state after the move: a RESERVED order whose stock goes back is RELEASED. */
  String stockState(LockedOrder locked) {
    return release == null ? locked.stockState() : RELEASED;
  }

  /** Its stock goes back once; a delivered order keeps it. */
  private static String release(OutboxMessages messages, CustomerOrder order, LockedOrder locked) {
    if (!locked.holdsStock()) {
      return null;
    }
    return messages.release(order.id(), locked.placement(), order.updatedAt()).payload();
  }

  /**
   * The charge it is PAID by is given back (an operator cancels a PAID order; a shopper's cancel
   * takes only PENDING ones).
   */
  private static String refund(OutboxMessages messages, CustomerOrder order, LockedOrder locked) {
    if (locked.status() != OrderStatus.PAID) {
      return null;
    }
    return messages
        .refund(
            order.id(),
            locked.placement(),
            new Amount(locked.totalCents(), locked.currency()),
            locked.paidBy(),
            order.updatedAt())
        .payload();
  }
}
