package dev.souq.catalog.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.souq.catalog.config.CatalogConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The in-process first level of the near cache. It is trusted only while this replica is subscribed
 * to the invalidation channel; any message, and any loss of the subscription, makes it forget. A
 * counter of invalidations lets a fill that raced an invalidation be refused.
 */
@ApplicationScoped
public class NearCacheL1 {
  private final Cache<Long, String> products;
  private final Cache<String, String> pages;
  private final AtomicLong invalidations = new AtomicLong();
  private volatile boolean subscribed;

  NearCacheL1(CatalogConfig config) {
    this.products =
        Caffeine.newBuilder()
            .expireAfterWrite(config.cache().ttl())
            .maximumSize(config.cache().localMaxEntries())
            .build();
    this.pages =
        Caffeine.newBuilder()
            .expireAfterWrite(config.cache().ttl())
            .maximumSize(config.cache().localMaxEntries())
            .build();
  }

  /** Called by the subscriber: whether invalidations reach this replica. */
  public void subscribed(boolean subscribed) {
    this.subscribed = subscribed;
    clear();
  }

  /** Whether the L1 may be read and filled. */
  boolean usable() {
    return subscribed;
  }

  /** Applies one message of the invalidation channel. */
  public void forget(String message) {
    invalidations.incrementAndGet();
    if (CacheKeys.ALL_PAGES.equals(message)) {
      pages.invalidateAll();
    } else if (message.startsWith("product:")) {
      try {
        products.invalidate(Long.parseLong(message.substring("product:".length())));
      } catch (NumberFormatException e) {
        clear();
      }
    } else {
      clear();
    }
  }

  void clear() {
    invalidations.incrementAndGet();
    products.invalidateAll();
    pages.invalidateAll();
  }

  long stamp() {
    return invalidations.get();
  }

  String product(long id) {
    return products.getIfPresent(id);
  }

  String page(String page) {
    return pages.getIfPresent(page);
  }

  /** Keeps a value read from Redis unless an invalidation arrived since {@code stamp}. */
  void putProduct(long id, String json, long stamp) {
    if (subscribed && invalidations.get() == stamp) {
      products.put(id, json);
    }
  }

  void putPage(String page, String json, long stamp) {
    if (subscribed && invalidations.get() == stamp) {
      pages.put(page, json);
    }
  }
}
