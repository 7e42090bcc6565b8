package dev.souq.order.client;

/**
 * The catalog refused an order's lines as they are: a product it does not have, or products priced
 * in more than one currency. Nothing was reserved; the message says what is wrong, for the shopper.
 */
public class UnorderableLinesException extends RuntimeException {
  public UnorderableLinesException(String message) {
    super(message, null, false, false);
  }
}
