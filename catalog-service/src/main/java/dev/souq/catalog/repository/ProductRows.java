package dev.souq.catalog.repository;

import dev.souq.catalog.ProductView;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Products read through the reactive PostgreSQL client rather than a Hibernate session, for batch
 * lookups: each read takes its own pooled connection, so the misses of one batch load side by side
 * (one reactive session runs one query at a time and cannot be shared by concurrent reads).
 */
@ApplicationScoped
public class ProductRows {
  private static final String BY_ID =
      "SELECT id, sku, name, description, price_cents, currency, category, stock"
          + " FROM catalog.product WHERE id = $1";

  private final Pool pool;

  ProductRows(Pool pool) {
    this.pool = pool;
  }

  /** The product as clients see it, or null if there is none. */
  public Uni<ProductView> view(long id) {
    return pool.preparedQuery(BY_ID)
        .execute(Tuple.of(id))
        .map(rows -> rows.size() == 0 ? null : view(rows.iterator().next()));
  }

  private static ProductView view(Row row) {
    return new ProductView(
        row.getLong("id"),
        row.getString("sku"),
        row.getString("name"),
        row.getString("description"),
        row.getLong("price_cents"),
        row.getString("currency"),
        row.getString("category"),
        row.getInteger("stock"));
  }
}
