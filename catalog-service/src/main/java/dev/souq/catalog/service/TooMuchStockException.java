package dev.souq.catalog.service;

/** A restock would leave a product more stock than any product may have. */
public class TooMuchStockException extends RuntimeException {
  TooMuchStockException(long productId, int most) {
    super(
        "Product " + productId + " would have more than " + most + " in stock", null, false, false);
  }
}
