package dev.souq.catalog.cache;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.souq.catalog.config.CatalogConfig;
import io.smallrye.mutiny.Uni;
import java.util.Collection;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * In-process only (Caffeine): the seed's "current cache", for one small server without Redis.
 * Concurrent misses of one key share a single load; a write forgets the product and all pages.
 */
final class MemoryProductCache implements ProductCache {
  private final AsyncCache<Long, String> products;
  private final AsyncCache<String, String> pages;

  MemoryProductCache(CatalogConfig config) {
    this.products =
        Caffeine.newBuilder()
            .expireAfterWrite(config.cache().ttl())
            .maximumSize(config.cache().localMaxEntries())
            .buildAsync();
    this.pages =
        Caffeine.newBuilder()
            .expireAfterWrite(config.cache().ttl())
            .maximumSize(config.cache().localMaxEntries())
            .buildAsync();
  }

  @Override
  public Uni<Cached> product(long id, Supplier<Uni<String>> loader) {
    return lookup(products, id, loader);
  }

  @Override
  public Cached local(long id) {
    CompletableFuture<String> present = products.getIfPresent(id);
    return present != null && present.isDone() && !present.isCompletedExceptionally()
        ? new Cached(present.getNow(null), CacheStatus.HIT)
        : null;
  }

  @Override
  public Uni<Cached> page(String page, Supplier<Uni<LoadedPage>> loader) {
    // Bounded by its size, the memory cache keeps an empty page like any other.
    return lookup(pages, page, () -> loader.get().map(LoadedPage::json));
  }

  private static <K> Uni<Cached> lookup(
      AsyncCache<K, String> cache, K key, Supplier<Uni<String>> loader) {
    CompletableFuture<String> present = cache.getIfPresent(key);
    if (present != null) {
      return Uni.createFrom()
          .completionStage(present)
          .map(json -> new Cached(json, CacheStatus.HIT));
    }
    // Caffeine drops a load from the map if the key is invalidated while it runs, so a load begun
    // before a write is never kept after it.
    CompletableFuture<String> loading =
        cache.get(key, (k, executor) -> loader.get().subscribeAsCompletionStage());
    return Uni.createFrom()
        .completionStage(loading)
        .map(json -> new Cached(json, CacheStatus.MISS));
  }

  @Override
  public Uni<Void> invalidate(Collection<Long> ids) {
    products.synchronous().invalidateAll(ids);
    pages.synchronous().invalidateAll();
    return Uni.createFrom().voidItem();
  }
}
