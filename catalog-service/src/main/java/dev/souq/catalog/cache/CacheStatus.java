package dev.souq.catalog.cache;

/** How a response was served; sent to clients as the {@code X-Cache} header. */
public enum CacheStatus {
  HIT,
  MISS,
  BYPASS
}
