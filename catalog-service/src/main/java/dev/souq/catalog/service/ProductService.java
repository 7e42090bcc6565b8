package dev.souq.catalog.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.souq.catalog.CategoryList;
import dev.souq.catalog.ProductInput;
import dev.souq.catalog.ProductPage;
import dev.souq.catalog.ProductView;
import dev.souq.catalog.cache.CacheMetrics;
import dev.souq.catalog.cache.Cached;
import dev.souq.catalog.cache.LoadedPage;
import dev.souq.catalog.cache.ProductCache;
import dev.souq.catalog.repository.ProductRepository;
import dev.souq.catalog.repository.ProductRows;
import dev.souq.shared.json.JsonText;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;

/**
 * Reads through the cache as JSON (a hit is written to the client as stored, never re-encoded);
 * writes commit first, then apply the cache invalidation they owe.
 */
@ApplicationScoped
public class ProductService {
  private final ProductCache cache;
  private final CacheMetrics metrics;
  private final ProductRepository products;
  private final ProductRows rows;
  private final ProductWriter writer;
  private final CacheInvalidations invalidations;
  private final ObjectMapper json;

  ProductService(
      ProductCache cache,
      CacheMetrics metrics,
      ProductRepository products,
      ProductRows rows,
      ProductWriter writer,
      CacheInvalidations invalidations,
      ObjectMapper json) {
    this.cache = cache;
    this.metrics = metrics;
    this.products = products;
    this.rows = rows;
    this.writer = writer;
    this.invalidations = invalidations;
    this.json = json;
  }

  /**
   * Product {@code id} if this replica holds it in memory now (counted as a hit), else null: read
   * it through {@link #product} then.
   */
  public Cached productNow(long id) {
    Cached local = cache.local(id);
    return local == null ? null : metrics.count(local);
  }

  /** Product {@code id} as JSON, or {@link Cached#ABSENT}. */
  public Uni<Cached> product(long id) {
    return cache
        .product(
            id,
            metrics.timed(
                () ->
                    products
                        .findById(id)
                        .map(
                            p ->
                                p == null
                                    ? Cached.ABSENT
                                    : JsonText.write(json, ProductView.of(p)))))
        .map(metrics::count);
  }

  /**
   * Several products in one call, each read through the cache exactly as {@link #product} reads it
   * (so the same freshness and stampede guarantees), side by side: the cached JSON of each, in the
   * order of {@code ids} (which must not repeat), {@link Cached#ABSENT} for an unknown id.
   */
  public Uni<List<Cached>> products(List<Long> ids) {
    return Uni.join()
        .all(
            ids.stream()
                .map(
                    id ->
                        cache
                            .product(
                                id,
                                metrics.timed(
                                    () ->
                                        rows.view(id)
                                            .map(
                                                v ->
                                                    v == null
                                                        ? Cached.ABSENT
                                                        : JsonText.write(json, v))))
                            .map(metrics::count))
                .toList())
        .andFailFast();
  }

  /** One page of products as JSON. */
  public Uni<Cached> page(Optional<String> category, int page, int size) {
    String key = "c=" + category.orElse("") + ":p=" + page + ":s=" + size;
    return cache
        .page(
            key,
            metrics.timed(
                // One after the other: a reactive session runs one query at a time.
                () ->
                    products
                        .page(category, page, size)
                        .chain(
                            items ->
                                products
                                    .total(category)
                                    .map(
                                        total ->
                                            new LoadedPage(
                                                JsonText.write(
                                                    json,
                                                    new ProductPage(
                                                        items.stream()
                                                            .map(ProductView::of)
                                                            .toList(),
                                                        page,
                                                        size,
                                                        total)),
                                                items.isEmpty())))))
        .map(metrics::count);
  }

  /**
   * Every category that has a product, as JSON: cached as a list page is, so a write of any product
   * shows in it at once.
   */
  public Uni<Cached> categories() {
    return cache
        .page(
            "categories",
            metrics.timed(
                () ->
                    products
                        .categories()
                        .map(
                            all ->
                                new LoadedPage(
                                    JsonText.write(json, new CategoryList(all)), all.isEmpty()))))
        .map(metrics::count);
  }

  /** Creates a product; fails with {@link DuplicateSkuException} if the SKU is taken. */
  public Uni<ProductView> create(ProductInput input) {
    return writer.create(input).call(w -> invalidations.apply(w.owed())).map(w -> w.view());
  }

  /** Replaces a product; null if there is none with this id. */
  public Uni<ProductView> update(long id, ProductInput input) {
    return writer
        .update(id, input)
        .call(w -> w == null ? Uni.createFrom().voidItem() : invalidations.apply(w.owed()))
        .map(w -> w == null ? null : w.view());
  }

  /**
   * Adds {@code delta} to a product's stock (negative: takes it away) atomically with reservations;
   * null if there is no such product.
   *
   * @throws OutOfStockException if less than none would be left (nothing changes)
   * @throws TooMuchStockException if more than the most a product may have would be (nothing
   *     changes)
   */
  public Uni<ProductView> adjustStock(long id, int delta) {
    return rows.adjustStock(id, delta)
        .call(
            a ->
                a.owed() == null
                    ? Uni.createFrom().voidItem()
                    : invalidations.apply(List.of(a.owed())))
        .map(
            a -> {
              if (a.owed() == null && a.product() != null) {
                if (a.product().stock() + (long) delta < 0) {
                  throw new OutOfStockException(id, a.product().stock());
                }
                throw new TooMuchStockException(id, ProductRows.MAX_STOCK);
              }
              return a.product();
            });
  }

  /** Deletes a product; false if there was none. */
  public Uni<Boolean> delete(long id) {
    return writer
        .delete(id)
        .call(w -> w == null ? Uni.createFrom().voidItem() : invalidations.apply(w.owed()))
        .map(w -> w != null);
  }
}
