package dev.souq.catalog.cache;

/**
 * How a response was served; sent to clients as the {@code X-Cache} header. Declared from most to
 * least cached: a batch lookup reports the last one any of its products needed.
 */
public enum CacheStatus {
  HIT,
  MISS,
  BYPASS,
  /** Past its TTL, served because PostgreSQL is away; no write has replaced it since. */
  STALE
}
