package dev.souq.catalog.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** catalog-service settings; env spelling e.g. {@code CATALOG_CACHE_MODE}. */
@ConfigMapping(prefix = "catalog")
public interface CatalogConfig {
  /**
   * The quarkus-redis-client the product cache uses ({@code quarkus.redis.cache.*}): the shared
   * Redis, or its own with {@code CATALOG_CACHE_REDIS_URL}.
   */
  String CACHE_REDIS_CLIENT = "cache";

  /** The product cache. */
  Cache cache();

  /** Product cache settings. */
  interface Cache {
    /** redis (default), memory, near (in-process L1 in front of Redis) or none. */
    @WithDefault("redis")
    CacheMode mode();

    /** How long a product or a list page stays cached. */
    @WithDefault("300s")
    Duration ttl();

    /**
     * How long a copy of each cached product and page is kept to be served, marked STALE, while
     * PostgreSQL is away (stale-if-error); 0 keeps none. A write drops it like the fresh entry.
     */
    @WithDefault("1h")
    Duration staleTtl();

    /**
     * How long an unknown product id or an empty list page stays cached, with no stale copy: short,
     * because those entries follow whatever callers ask for, not the catalog. 0 caches none.
     */
    @WithDefault("30s")
    Duration absentTtl();

    /** How long one loader holds the stampede lock before others load for themselves. */
    @WithDefault("3s")
    Duration lockTtl();

    /** How often a waiting reader looks whether the lock holder has filled the cache. */
    @WithDefault("10ms")
    Duration lockPoll();

    /** A Redis call slower than this is abandoned and the request served from PostgreSQL. */
    @WithDefault("250ms")
    Duration redisTimeout();

    /** After a Redis failure, go straight to PostgreSQL for this long before trying Redis again. */
    @WithDefault("1s")
    Duration redisRetryAfter();

    /** How often every replica looks for invalidations still owed to Redis. */
    @WithDefault("1s")
    Duration invalidationPoll();

    /** Entries of the in-process cache (memory and near modes). */
    @WithDefault("10000")
    long localMaxEntries();
  }
}
