package dev.souq.catalog.cache;

/** How a response was served; sent to clients as the {@code X-Cache} header. */
public enum CacheStatus {
  HIT,
  MISS,
  BYPASS,
  /** Past its TTL, served because PostgreSQL is away; no write has replaced it since. */
  STALE
}
