package dev.souq.order.service;

/** The order request cannot become an order (empty, mixed currencies, unknown product). */
public class InvalidOrderException extends RuntimeException {
  public InvalidOrderException(String message) {
    super(message);
  }
}
