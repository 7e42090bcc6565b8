package dev.souq.order.client;

import dev.souq.shared.problem.DependencyUnavailableException;

/** catalog-service did not answer in time, or its circuit is open: 503, try again shortly. */
public class CatalogUnavailableException extends DependencyUnavailableException {
  public CatalogUnavailableException() {
    super("catalog-service", "The catalog is unavailable; no order was placed. Retry shortly.");
  }
}
