package dev.souq.order.service;

import dev.souq.order.OrderStatus;

/** The status machine does not allow this change. */
public class IllegalTransitionException extends RuntimeException {
  public IllegalTransitionException(OrderStatus from, OrderStatus to) {
    super("An order cannot go from " + from + " to " + to);
  }
}
