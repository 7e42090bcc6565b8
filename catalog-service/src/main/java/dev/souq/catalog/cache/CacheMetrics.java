package dev.souq.catalog.cache;

import dev.souq.catalog.config.CatalogConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Hits, misses and bypasses per mode ({@code catalog_cache_requests_total}), and the PostgreSQL
 * loads the cache triggered with their time ({@code catalog_cache_load_seconds}).
 */
@ApplicationScoped
public class CacheMetrics {
  private final Map<CacheStatus, Counter> requests = new EnumMap<>(CacheStatus.class);
  private final Timer loads;

  CacheMetrics(MeterRegistry registry, CatalogConfig config) {
    String mode = config.cache().mode().name().toLowerCase();
    for (CacheStatus status : CacheStatus.values()) {
      requests.put(
          status,
          Counter.builder("catalog.cache.requests")
              .description("Product reads by how the cache served them")
              .tag("mode", mode)
              .tag("result", status.name().toLowerCase())
              .register(registry));
    }
    loads =
        Timer.builder("catalog.cache.load")
            .description("PostgreSQL loads made for the cache, and their duration")
            .tag("mode", mode)
            .register(registry);
  }

  /** Counts a served read. */
  public Cached count(Cached cached) {
    requests.get(cached.status()).increment();
    return cached;
  }

  /** Wraps a loader so each call is counted and timed. */
  public <T> Supplier<Uni<T>> timed(Supplier<Uni<T>> loader) {
    return () -> {
      long start = System.nanoTime();
      return loader
          .get()
          .onTermination()
          .invoke(
              () ->
                  loads.record(
                      System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS));
    };
  }

  /** How many loads have been made (tests and benchmarks read it). */
  public long loadCount() {
    return loads.count();
  }
}
