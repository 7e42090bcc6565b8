package dev.souq.catalog.repository;

import dev.souq.catalog.ProductView;
import dev.souq.shared.persistence.PooledQuery;
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
  /** The most stock a product may have, as ProductInput allows. */
  public static final int MAX_STOCK = 1_000_000_000;

  /**
   * Adds to a product's stock (a restock, or a write-off when negative) unless that would leave
   * less than none or more than {@link #MAX_STOCK}, and owes the cache its invalidation, in one
   * statement. The row lock it takes orders it with reservations, so neither loses the other's
   * change.
   */
  private static final String ADJUST =
      "WITH adjusted AS (UPDATE catalog.product SET stock = stock + $2,"
          + " version = version + 1, updated_at = now()"
          + " WHERE id = $1 AND stock::bigint + $2 BETWEEN 0 AND "
          + MAX_STOCK
          + " RETURNING id, sku, name, description, price_cents, currency, category, stock),"
          + " owed AS (INSERT INTO catalog.cache_invalidation (product_id, created_at)"
          + " SELECT id, clock_timestamp() FROM adjusted RETURNING id)"
          + " SELECT adjusted.*, owed.id AS owed_id FROM adjusted, owed";

  /**
   * A stock adjustment: the product after it and the invalidation owed, or, when refused, the
   * product as it is (null: no such product) and no invalidation.
   */
  public record Adjusted(ProductView product, StockRows.Owed owed) {}

  private static final String BY_ID =
      "SELECT id, sku, name, description, price_cents, currency, category, stock"
          + " FROM catalog.product WHERE id = $1";

  private final Pool pool;

  ProductRows(Pool pool) {
    this.pool = pool;
  }

  /** The product as clients see it, or null if there is none. */
  public Uni<ProductView> view(long id) {
    return PooledQuery.execute(pool, BY_ID, Tuple.of(id))
        .map(rows -> rows.size() == 0 ? null : view(rows.iterator().next()));
  }

  /** Adds {@code delta} to the product's stock unless it would leave 0..MAX_STOCK. */
  public Uni<Adjusted> adjustStock(long id, int delta) {
    return PooledQuery.execute(pool, ADJUST, Tuple.of(id, delta))
        .chain(
            rows -> {
              if (rows.size() == 0) {
                return view(id).map(now -> new Adjusted(now, null));
              }
              Row row = rows.iterator().next();
              return Uni.createFrom()
                  .item(new Adjusted(view(row), new StockRows.Owed(row.getLong("owed_id"), id)));
            });
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
