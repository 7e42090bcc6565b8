package dev.souq.catalog.service;

/** A reservation or stock adjustment wants more of a product than is left. */
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

  /** What is left of it. */
  public int available() {
    return available;
  }
}
