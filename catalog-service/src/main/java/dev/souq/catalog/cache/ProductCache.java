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

  /** The JSON of one list page; {@code page} identifies it (category, page, size). */
  Uni<Cached> page(String page, Supplier<Uni<String>> loader);

  /**
   * Forgets these products and every list page, at once (a write of several products, such as an
   * order's stock, pays for one list-page invalidation); fails if the cache could not be reached.
   */
  Uni<Void> invalidate(Collection<Long> ids);
}
