package dev.souq.order.service;

import dev.souq.order.OrderStatus;

/** The status machine does not allow this change. */
public class IllegalTransitionException extends RuntimeException {
  public IllegalTransitionException(OrderStatus from, OrderStatus to) {
    super("An order cannot go from " + from + " to " + to);
  }

  private IllegalTransitionException(String message) {
    super(message);
  }

  /** A shopper may cancel only what nothing has happened to yet; the operator may do more. */
  static IllegalTransitionException notCancellableByShopper(OrderStatus status) {
    return new IllegalTransitionException(
        "Only a PENDING order can be cancelled by its shopper; this one is " + status);
  }
}
