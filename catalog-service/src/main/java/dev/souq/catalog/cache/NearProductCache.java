package dev.souq.catalog.cache;

import io.smallrye.mutiny.Uni;
import java.util.Collection;
import java.util.function.Supplier;

/**
 * An in-process L1 in front of the Redis cache. Writes on any replica reach every L1 through the
 * Redis channel {@code catalog:invalidations} within milliseconds; this replica's own writes clear
 * its L1 before they return.
 */
final class NearProductCache implements ProductCache {
  private final NearCacheL1 l1;
  private final RedisProductCache redis;
  private final RedisGate gate;

  NearProductCache(NearCacheL1 l1, RedisProductCache redis, RedisGate gate) {
    this.l1 = l1;
    this.redis = redis;
    this.gate = gate;
  }

  @Override
  public Cached local(long id) {
    if (!l1.usable() || !gate.open()) {
      return null;
    }
    String local = l1.product(id);
    return local == null ? null : new Cached(local, CacheStatus.HIT);
  }

  @Override
  public Uni<Cached> product(long id, Supplier<Uni<String>> loader) {
    Cached local = local(id);
    if (local != null) {
      return Uni.createFrom().item(local);
    }
    if (!l1.usable() || !gate.open()) {
      return redis.product(id, loader);
    }
    long stamp = l1.stamp();
    return redis
        .product(id, loader)
        .invoke(
            cached -> {
              if (cached.status() == CacheStatus.HIT || cached.status() == CacheStatus.MISS) {
                l1.putProduct(id, cached.json(), stamp);
              }
            });
  }

  @Override
  public Uni<Cached> page(String page, Supplier<Uni<LoadedPage>> loader) {
    if (!l1.usable() || !gate.open()) {
      return redis.page(page, loader);
    }
    String local = l1.page(page);
    if (local != null) {
      return Uni.createFrom().item(new Cached(local, CacheStatus.HIT));
    }
    long stamp = l1.stamp();
    return redis
        .page(page, loader)
        .invoke(
            cached -> {
              if (cached.status() == CacheStatus.HIT || cached.status() == CacheStatus.MISS) {
                l1.putPage(page, cached.json(), stamp);
              }
            });
  }

  @Override
  public Uni<Void> invalidate(Collection<Long> ids) {
    ids.forEach(id -> l1.forget(CacheKeys.productMessage(id)));
    l1.forget(CacheKeys.ALL_PAGES);
    return redis.invalidate(ids);
  }
}
