package dev.souq.catalog.cache;

import io.smallrye.mutiny.Uni;
import java.util.Collection;
import java.util.function.Supplier;

/**
 * Cache-aside for product documents and list pages, as JSON. The loader reads PostgreSQL and yields
 * the JSON, or {@link Cached#ABSENT}; the cache decides whether to call it.
 */
public interface ProductCache {
  /** The JSON of product {@code id}. */
  Uni<Cached> product(long id, Supplier<Uni<String>> loader);

  /**
   * Product {@code id} as this replica holds it in memory now (a {@link CacheStatus#HIT}), or null:
   * a hit answered with no Redis call and no reactive pipeline, whose context propagation cost
   * about 6 % of catalog's CPU on the hottest read. Only the near and memory caches hold any.
   */
  default Cached local(long id) {
    return null;
  }

  /** The JSON of one list page; {@code page} identifies it (category, page, size). */
  Uni<Cached> page(String page, Supplier<Uni<LoadedPage>> loader);

  /**
   * Forgets these products and every list page, at once (a write of several products, such as an
   * order's stock, pays for one list-page invalidation); fails if the cache could not be reached.
   */
  Uni<Void> invalidate(Collection<Long> ids);
}
