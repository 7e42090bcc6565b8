package dev.souq.catalog.service;

/** A reservation wants more of a product than is left (or a product there is none of). */
public class OutOfStockException extends RuntimeException {
  private final long productId;
  private final int available;

  OutOfStockException(long productId, int available) {
    super("Not enough stock for product " + productId, null, false, false);
    this.productId = productId;
    this.available = available;
  }

  public long productId() {
    return productId;
  }

  /** What is left of it; -1 if there is no such product. */
  public int available() {
    return available;
  }
}
