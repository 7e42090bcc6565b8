package dev.souq.order.service;

import dev.souq.order.Amount;
import dev.souq.order.OrderStatus;

/** The status machine does not allow this change. */
public class IllegalTransitionException extends RuntimeException {
  public IllegalTransitionException(OrderStatus from, OrderStatus to) {
    super("An order cannot go from " + from + " to " + to);
  }

  private IllegalTransitionException(String message) {
    super(message);
  }

  /** A payer charged something else than the order's total: the order is not moved. */
  static IllegalTransitionException notWhatItOwes(Amount charged) {
    return new IllegalTransitionException(
        "The order does not owe " + charged.cents() + " " + charged.currency());
  }

  /** The payer voided this charge, unsure whether its move was made: it moves nothing now. */
  static IllegalTransitionException voided(String payment) {
    return new IllegalTransitionException("The payment " + payment + " was voided by its payer");
  }

  /** A shopper may cancel only what nothing has happened to yet; the operator may do more. */
  static IllegalTransitionException notCancellableByShopper(OrderStatus status) {
    return new IllegalTransitionException(
        "Only a PENDING order can be cancelled by its shopper; this one is " + status);
  }
}
