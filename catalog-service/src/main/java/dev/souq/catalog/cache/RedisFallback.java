package dev.souq.catalog.cache;

import io.smallrye.mutiny.Uni;
import java.util.function.Supplier;

/**
 * What the Redis cache answers when Redis may not serve a fresh copy: PostgreSQL's own answer, or a
 * stale copy while PostgreSQL is away.
 */
final class RedisFallback {
  private RedisFallback() {}

  /** The gate is closed or Redis failed: PostgreSQL's answer, marked BYPASS. */
  static Uni<Cached> bypass(Supplier<Uni<String>> loader) {
    return loader.get().map(json -> new Cached(json, CacheStatus.BYPASS));
  }

  /**
   * After PostgreSQL failed to answer: the stale copy {@code read} finds, if there is one and the
   * gate is open (no write's invalidation is owed, so no write has replaced it) and stale copies
   * are kept ({@code staleTtlMillis} above 0); else the original failure.
   */
  static Uni<Cached> stale(
      RedisGate gate, String staleTtlMillis, Throwable failure, Uni<String> read) {
    if (!gate.open() || "0".equals(staleTtlMillis)) {
      return Uni.createFrom().failure(failure);
    }
    return gate.guard(read)
        .onFailure()
        .recoverWithNull()
        .chain(
            json ->
                json == null
                    ? Uni.createFrom().failure(failure)
                    : Uni.createFrom().item(new Cached(json, CacheStatus.STALE)));
  }
}
