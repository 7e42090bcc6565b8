package dev.souq.catalog.config;

/** Where catalog-service caches products ({@code catalog.cache.mode}). */
public enum CacheMode {
  /** Cache-aside in Redis, shared by every replica (the default). */
  REDIS,
  /** In-process only: a single server without Redis. */
  MEMORY,
  /** An in-process L1 in front of Redis, cleared on every replica through pub/sub. */
  NEAR,
  /** No cache: every request reads PostgreSQL (the benchmark's baseline). */
  NONE
}
