package dev.souq.catalog.cache;

import dev.souq.catalog.config.CatalogConfig;
import dev.souq.shared.problem.DependencyFailures;
import dev.souq.shared.redis.LuaScript;
import dev.souq.shared.redis.RedisPipelines;
import dev.souq.shared.redis.RedisTopology;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.value.ReactiveValueCommands;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.mutiny.redis.client.Request;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Supplier;

/**
 * Cache-aside in Redis, shared by every replica. A miss takes a short lock so that one replica
 * loads a hot product while the others wait for its fill (no stampede); a fill is fenced by the
 * product's version so that a load begun before a write can never be cached after it. While
 * PostgreSQL is away, a longer-lived copy that no write has replaced is served marked STALE. The
 * list pages are {@link RedisPageCache}'s.
 */
final class RedisProductCache implements ProductCache {
  private static final LuaScript CLAIM = LuaScript.fromClasspath("/lua/product-claim.lua");
  private static final LuaScript FILL = LuaScript.fromClasspath("/lua/product-fill.lua");
  private static final LuaScript INVALIDATE =
      LuaScript.fromClasspath("/lua/product-invalidate.lua");

  /** A version no product has: filling with it only releases the lock. */
  private static final String NO_VERSION = "-1";

  private static final int CLAIMED_HIT = 1;
  private static final int CLAIMED_LOAD = 2;

  private final SecureRandom random = new SecureRandom();
  private final ReactiveRedisDataSource redis;
  private final ReactiveValueCommands<String, String> values;
  private final RedisGate gate;
  private final BatchedGets hits;
  private final RedisPipelines pipelines;
  private final RedisPageCache pages;
  private final Vertx vertx;
  private final String ttlMillis;
  private final String staleTtlMillis;
  private final String absentTtlMillis;
  private final String lockMillis;
  private final long lockNanos;

  /** How often a waiter may claim a hot key's lock again (see {@link #miss}). */
  private static final int RECLAIMS = 2;

  private final long pollMillis;

  RedisProductCache(
      ReactiveRedisDataSource redis,
      RedisTopology topology,
      RedisGate gate,
      Vertx vertx,
      CatalogConfig config) {
    this.redis = redis;
    this.values = redis.value(String.class);
    this.gate = gate;
    this.hits =
        new BatchedGets(
            redis.getRedis().getDelegate(), topology, config.cache().redisTimeout(), gate::failed);
    this.pipelines = new RedisPipelines(redis.getRedis(), topology);
    this.vertx = vertx;
    // PX takes no 0: a TTL of 0 keeps an entry 1 ms, which caches nothing.
    this.ttlMillis = Long.toString(Math.max(1, config.cache().ttl().toMillis()));
    this.staleTtlMillis = Long.toString(config.cache().staleTtl().toMillis());
    this.absentTtlMillis = Long.toString(Math.max(1, config.cache().absentTtl().toMillis()));
    this.lockMillis = Long.toString(config.cache().lockTtl().toMillis());
    this.lockNanos = config.cache().lockTtl().toNanos();
    this.pollMillis = Math.max(1, config.cache().lockPoll().toMillis());
    this.pages = new RedisPageCache(redis, gate, ttlMillis, staleTtlMillis, absentTtlMillis);
  }

  @Override
  public Uni<Cached> product(long id, Supplier<Uni<String>> loader) {
    return fresh(id, loader)
        .onFailure(DependencyFailures::isUnavailable)
        .recoverWithUni(
            failure ->
                RedisFallback.stale(
                    gate, staleTtlMillis, failure, values.get(CacheKeys.productStale(id))));
  }

  private Uni<Cached> fresh(long id, Supplier<Uni<String>> loader) {
    if (!gate.open()) {
      return RedisFallback.bypass(loader);
    }
    String key = CacheKeys.product(id);
    Uni<String> read = hits.get(key);
    if (read == null) {
      read = gate.guard(values.get(key));
    }
    // A failed read closed the gate: miss() then goes to PostgreSQL.
    return read.onItemOrFailure()
        .transformToUni(
            (json, failure) ->
                json != null
                    ? Uni.createFrom().item(new Cached(json, CacheStatus.HIT))
                    : miss(id, loader, RECLAIMS, 0));
  }

  /**
   * {@code claims} more times a reader that waited for another's fill may take the lock itself,
   * when that one let it go early without a value (its fill fenced off by a write, or its load
   * failed); {@code deadline} is when the first wait ends (0: not waiting yet), which a claim taken
   * again does not extend.
   */
  private Uni<Cached> miss(long id, Supplier<Uni<String>> loader, int claims, long deadline) {
    if (!gate.open()) {
      return RedisFallback.bypass(loader);
    }
    String token = token();
    List<String> keys =
        List.of(
            CacheKeys.product(id),
            CacheKeys.productVersion(id),
            CacheKeys.productLock(id),
            CacheKeys.productStale(id));
    return gate.guard(CLAIM.run(redis, keys, List.of(token, lockMillis)))
        .onFailure()
        .recoverWithNull()
        .chain(
            reply -> {
              if (reply == null) {
                return RedisFallback.bypass(loader);
              }
              int outcome = reply.get(0).toInteger();
              String value = reply.get(1).toString();
              if (outcome == CLAIMED_HIT) {
                return Uni.createFrom().item(new Cached(value, CacheStatus.HIT));
              }
              if (outcome == CLAIMED_LOAD) {
                return loadAndFill(keys, value, token, loader);
              }
              long until = deadline != 0 ? deadline : System.nanoTime() + lockNanos;
              return awaitFill(id, loader, until, claims);
            });
  }

  private Uni<Cached> loadAndFill(
      List<String> keys, String version, String token, Supplier<Uni<String>> loader) {
    return loader
        .get()
        .onFailure()
        .call(() -> fill(keys, NO_VERSION, "", token))
        .call(json -> fill(keys, version, json, token))
        .map(json -> new Cached(json, CacheStatus.MISS));
  }

  /**
   * An unknown id is cached briefly and without a stale copy: any caller can ask for millions of
   * them (100 a request in a batch), and those keys must not fill the Redis that sessions and
   * queues share.
   */
  private Uni<Void> fill(List<String> keys, String version, String json, String token) {
    boolean absent = Cached.ABSENT.equals(json);
    String ttl = absent ? absentTtlMillis : ttlMillis;
    String staleTtl = absent ? "0" : staleTtlMillis;
    return gate.guard(FILL.run(redis, keys, List.of(version, json, ttl, token, staleTtl)))
        .onFailure()
        .recoverWithNull()
        .replaceWithVoid();
  }

  /**
   * Another reader holds the lock: wait for its fill. If it let the lock go without one, claim it
   * again (one of the waiters loads, the others wait for that one), so that a write during a hot
   * key's load does not send every waiter to PostgreSQL; after that, or once the holder is too
   * slow, load alone.
   */
  private Uni<Cached> awaitFill(long id, Supplier<Uni<String>> loader, long deadline, int claims) {
    return delay()
        .chain(
            () ->
                gate.guard(values.mget(CacheKeys.product(id), CacheKeys.productLock(id)))
                    .onFailure()
                    .recoverWithNull())
        .chain(
            found -> {
              String json = found == null ? null : found.get(CacheKeys.product(id));
              if (json != null) {
                return Uni.createFrom().item(new Cached(json, CacheStatus.HIT));
              }
              boolean locked = found != null && found.get(CacheKeys.productLock(id)) != null;
              if (locked && System.nanoTime() < deadline) {
                return awaitFill(id, loader, deadline, claims);
              }
              // Let go early: not a lock that ran out on a slow load, whose waiters must not pile
              // more loads onto a slow PostgreSQL.
              if (!locked && found != null && claims > 0 && System.nanoTime() < deadline) {
                return miss(id, loader, claims - 1, deadline);
              }
              // Too slow, or given up again: load, do not fill.
              return loader.get().map(v -> new Cached(v, CacheStatus.MISS));
            });
  }

  @Override
  public Uni<Cached> page(String page, Supplier<Uni<LoadedPage>> loader) {
    return pages.page(page, loader);
  }

  @Override
  public Uni<Void> invalidate(Collection<Long> ids) {
    // One script per product and one for the list pages in one pipeline (on a Cluster, one per
    // hash slot, all at once): one round trip and one write per RedisPipelines.MAX_COMMANDS.
    List<String> keys = new ArrayList<>(ids.size() + 1);
    List<Request> scripts = new ArrayList<>(ids.size() + 1);
    for (long id : ids) {
      keys.add(CacheKeys.product(id));
      scripts.add(
          INVALIDATE.request(
              List.of(
                  CacheKeys.product(id), CacheKeys.productVersion(id), CacheKeys.productStale(id)),
              List.of(CacheKeys.INVALIDATIONS, CacheKeys.productMessage(id))));
    }
    keys.add(CacheKeys.PAGE_GENERATION);
    scripts.add(RedisPageCache.invalidation());
    return gate.guard(pipelines.send(keys, scripts)).replaceWithVoid();
  }

  private Uni<Void> delay() {
    return Uni.createFrom()
        .emitter(emitter -> vertx.setTimer(pollMillis, t -> emitter.complete(null)));
  }

  /** Identifies this caller's lock, so it never releases another's. */
  private String token() {
    byte[] bytes = new byte[12];
    random.nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }
}
