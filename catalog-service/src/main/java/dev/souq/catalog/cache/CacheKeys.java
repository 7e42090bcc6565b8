package dev.souq.catalog.cache;

/**
 * The Redis keys of the product cache. A product's keys share the hash tag {@code {id}} and the
 * list keys share {@code {list}}, so each script touches one Redis Cluster slot.
 */
public final class CacheKeys {
  /** Pub/sub channel on which writes tell near caches what to forget. */
  public static final String INVALIDATIONS = "catalog:invalidations";

  /** Message meaning "every list page". */
  static final String ALL_PAGES = "pages";

  /** Generation of the list pages: the tag of every page's value, bumped by each write. */
  static final String PAGE_GENERATION = "products:{list}:gen";

  private CacheKeys() {}

  /** The product's cached JSON. */
  public static String product(long id) {
    return "product:{" + id + "}";
  }

  /** Bumped by each write of the product; a fill computed before the bump is refused. */
  static String productVersion(long id) {
    return product(id) + ":v";
  }

  /** A longer-lived copy, served only while PostgreSQL is away; dropped by every write. */
  static String productStale(long id) {
    return product(id) + ":stale";
  }

  static String productLock(long id) {
    return product(id) + ":lock";
  }

  /** A list page, tagged with the generation it was loaded in (only that one may serve it). */
  static String page(String page) {
    return "products:{list}:page:" + page;
  }

  /** A longer-lived copy of a page, tagged the same way. */
  static String pageStale(String page) {
    return "products:{list}:stale:" + page;
  }

  /** The near-cache message for one product. */
  static String productMessage(long id) {
    return "product:" + id;
  }
}
