package dev.souq.catalog.service;

/** Another product already has this SKU. */
public class DuplicateSkuException extends RuntimeException {
  public DuplicateSkuException(String sku) {
    super("A product with SKU '" + sku + "' already exists");
  }
}
