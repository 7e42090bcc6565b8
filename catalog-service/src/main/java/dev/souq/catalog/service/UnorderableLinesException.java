package dev.souq.catalog.service;

/**
 * A reservation's lines cannot make one order: a product does not exist, or the products are priced
 * in more than one currency. Nothing was taken.
 */
public class UnorderableLinesException extends RuntimeException {
  UnorderableLinesException(String message) {
    super(message, null, false, false);
  }
}
