package dev.souq.order.client;

/** The catalog has too little of a product for the order: which, and how many are left. */
public class OutOfStockException extends RuntimeException {
  private final long productId;
  private final int available;

  public OutOfStockException(long productId, int available) {
    super("Not enough stock for product " + productId, null, false, false);
    this.productId = productId;
    this.available = available;
  }

  public long productId() {
    return productId;
  }

  public int available() {
    return available;
  }
}
