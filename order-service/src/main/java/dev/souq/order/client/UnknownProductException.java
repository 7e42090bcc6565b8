package dev.souq.order.client;

/** The catalog has no product with this id. */
public class UnknownProductException extends RuntimeException {
  public UnknownProductException(long id) {
    super("Unknown product " + id);
  }
}
