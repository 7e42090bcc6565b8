package dev.souq.catalog;

/** A product as clients see it, and as it is cached (snake_case JSON). */
public record ProductView(
    long id,
    String sku,
    String name,
    String description,
    long priceCents,
    String currency,
    String category,
    int stock) {

  /** Lowercase words joined by hyphens, e.g. {@code home-office}. */
  public static final String CATEGORY_PATTERN = "[a-z0-9]+(-[a-z0-9]+)*";

  public static ProductView of(Product p) {
    return new ProductView(
        p.id, p.sku, p.name, p.description, p.priceCents, p.currency, p.category, p.stock);
  }
}
