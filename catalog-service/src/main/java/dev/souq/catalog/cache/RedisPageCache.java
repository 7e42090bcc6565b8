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
 * The list pages of {@link RedisProductCache}. Every page's value begins with the pages'
 * generation, which each write bumps: a page loaded before a write is never served after it, so
 * pages need neither a lock nor a fence. One key per page (not per page and generation): under a
 * stream of orders every reservation is a write, and a key per generation left a dead copy of each
 * page read in Redis per order until its TTL.
 */
final class RedisPageCache {
  private static final LuaScript GET = LuaScript.fromClasspath("/lua/page-get.lua");
  private static final LuaScript FILL = LuaScript.fromClasspath("/lua/page-fill.lua");
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
                    GET.run(redis, staleKeys, List.of()).map(RedisPageCache::json)));
  }

  private Uni<Cached> fresh(String page, Supplier<Uni<LoadedPage>> loader) {
    Supplier<Uni<String>> json = () -> loader.get().map(LoadedPage::json);
    if (!gate.open()) {
      return RedisFallback.bypass(json);
    }
    List<String> keys = List.of(CacheKeys.PAGE_GENERATION, CacheKeys.page(page));
    return gate.guard(GET.run(redis, keys, List.of()))
        .onFailure()
        .recoverWithNull()
        .chain(
            reply -> {
              if (reply == null) {
                return RedisFallback.bypass(json);
              }
              String cached = json(reply);
              if (cached != null) {
                return Uni.createFrom().item(new Cached(cached, CacheStatus.HIT));
              }
              String generation = reply.get(0).toString();
              List<String> filled =
                  List.of(
                      CacheKeys.page(page), CacheKeys.pageStale(page), CacheKeys.PAGE_GENERATION);
              return loader
                  .get()
                  .call(loaded -> fill(filled, generation, loaded))
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

  /** page-get.lua's page, null when it has none of the current generation. */
  private static String json(Response reply) {
    Response value = reply.get(1);
    return value == null ? null : value.toString();
  }

  /** The script that forgets every page (a new generation), for the invalidation's pipeline. */
  static Request invalidation() {
    return INVALIDATE.request(
        List.of(CacheKeys.PAGE_GENERATION), List.of(CacheKeys.INVALIDATIONS, CacheKeys.ALL_PAGES));
  }
}
