package dev.souq.order.client;

/** catalog-service did not answer in time, or its circuit is open: try again shortly. */
public class CatalogUnavailableException extends RuntimeException {
  public CatalogUnavailableException() {
    super("The catalog is unavailable; no order was placed. Retry shortly.");
  }
}
