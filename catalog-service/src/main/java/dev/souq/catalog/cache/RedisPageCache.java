package dev.souq.catalog.cache;

import dev.souq.shared.problem.DependencyFailures;
import dev.souq.shared.redis.LuaScript;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import java.util.List;
import java.util.function.Supplier;

/**
 * The list pages of {@link RedisProductCache}. Every page key holds the pages' generation, which
 * each write bumps: a page loaded before a write lands in a generation nobody reads any more, so
 * pages need neither a lock nor a fence.
 */
final class RedisPageCache {
  private static final LuaScript GET = LuaScript.fromClasspath("/lua/page-get.lua");
  private static final LuaScript FILL = LuaScript.fromClasspath("/lua/page-fill.lua");
  private static final LuaScript STALE = LuaScript.fromClasspath("/lua/page-stale.lua");
  private static final LuaScript INVALIDATE = LuaScript.fromClasspath("/lua/page-invalidate.lua");

  private final ReactiveRedisDataSource redis;
  private final RedisGate gate;
  private final String ttlMillis;
  private final String staleTtlMillis;
  private final String emptyTtlMillis;

  RedisPageCache(
      ReactiveRedisDataSource redis,
      RedisGate gate,
      String ttlMillis,
      String staleTtlMillis,
      String emptyTtlMillis) {
    this.redis = redis;
    this.gate = gate;
    this.ttlMillis = ttlMillis;
    this.staleTtlMillis = staleTtlMillis;
    this.emptyTtlMillis = emptyTtlMillis;
  }

  /** The page as {@link ProductCache#page} answers it. */
  Uni<Cached> page(String page, Supplier<Uni<LoadedPage>> loader) {
    List<String> staleKeys = List.of(CacheKeys.PAGE_GENERATION, CacheKeys.pageStale(page));
    return fresh(page, loader)
        .onFailure(DependencyFailures::isUnavailable)
        .recoverWithUni(
            failure ->
                RedisFallback.stale(
                    gate,
                    staleTtlMillis,
                    failure,
                    STALE
                        .run(redis, staleKeys, List.of())
                        .map(reply -> reply == null ? null : reply.toString())));
  }

  private Uni<Cached> fresh(String page, Supplier<Uni<LoadedPage>> loader) {
    Supplier<Uni<String>> json = () -> loader.get().map(LoadedPage::json);
    if (!gate.open()) {
      return RedisFallback.bypass(json);
    }
    return gate.guard(GET.run(redis, List.of(CacheKeys.PAGE_GENERATION), List.of(page)))
        .onFailure()
        .recoverWithNull()
        .chain(
            reply -> {
              if (reply == null) {
                return RedisFallback.bypass(json);
              }
              Response cached = reply.get(1);
              if (cached != null) {
                return Uni.createFrom().item(new Cached(cached.toString(), CacheStatus.HIT));
              }
              String generation = reply.get(0).toString();
              List<String> keys =
                  List.of(CacheKeys.page(generation, page), CacheKeys.pageStale(page));
              return loader
                  .get()
                  .call(loaded -> fill(keys, generation, loaded))
                  .map(loaded -> new Cached(loaded.json(), CacheStatus.MISS));
            });
  }

  /**
   * An empty page is kept briefly and without a stale copy: callers choose categories and page
   * numbers, and the pages of those the catalog does not have must not fill the shared Redis.
   */
  private Uni<Void> fill(List<String> keys, String generation, LoadedPage loaded) {
    String ttl = loaded.empty() ? emptyTtlMillis : ttlMillis;
    String staleTtl = loaded.empty() ? "0" : staleTtlMillis;
    return gate.guard(
            FILL.run(redis, keys, List.of(loaded.json(), ttl, generation, staleTtl))
                .replaceWithVoid())
        .onFailure()
        .recoverWithNull();
  }

  /** The script that forgets every page (a new generation), for the invalidation's pipeline. */
  static Request invalidation() {
    return INVALIDATE.request(
        List.of(CacheKeys.PAGE_GENERATION), List.of(CacheKeys.INVALIDATIONS, CacheKeys.ALL_PAGES));
  }
}
