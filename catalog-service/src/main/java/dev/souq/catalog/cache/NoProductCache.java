package dev.souq.catalog.cache;

import io.smallrye.mutiny.Uni;
import java.util.Collection;
import java.util.function.Supplier;

/** No cache at all: every read goes to PostgreSQL. The benchmark's baseline. */
final class NoProductCache implements ProductCache {
  @Override
  public Uni<Cached> product(long id, Supplier<Uni<String>> loader) {
    return loader.get().map(json -> new Cached(json, CacheStatus.BYPASS));
  }

  @Override
  public Uni<Cached> page(String page, Supplier<Uni<LoadedPage>> loader) {
    return loader.get().map(loaded -> new Cached(loaded.json(), CacheStatus.BYPASS));
  }

  @Override
  public Uni<Void> invalidate(Collection<Long> ids) {
    return Uni.createFrom().voidItem();
  }
}
