package dev.souq.catalog.cache;

/**
 * A cached JSON document and how it was served. {@code json} is {@link #ABSENT} when the database
 * has no such product (cached too, so unknown ids do not all reach PostgreSQL).
 */
public record Cached(String json, CacheStatus status) {
  /** The cached marker for "no such row". */
  public static final String ABSENT = "null";

  /** Whether the document exists. */
  public boolean found() {
    return json != null && !ABSENT.equals(json);
  }
}
