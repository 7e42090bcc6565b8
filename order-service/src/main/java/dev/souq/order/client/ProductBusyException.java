package dev.souq.order.client;

/**
 * The catalog waited too long for a product's row lock (a rush on it): nothing was reserved by that
 * attempt. Retried, and treated like an unanswered reservation in the end, but never counted by the
 * circuit breaker: a rush on one product must not stop checkout for all the others.
 */
public class ProductBusyException extends RuntimeException {
  public ProductBusyException() {
    super("A product of the order is in demand right now", null, false, false);
  }
}
