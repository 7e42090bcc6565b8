package dev.souq.catalog.service;

import dev.souq.catalog.CacheInvalidation;
import dev.souq.catalog.cache.ProductCache;
import dev.souq.catalog.cache.RedisGate;
import dev.souq.catalog.repository.CacheInvalidationRepository;
import dev.souq.catalog.repository.StockRows;
import dev.souq.shared.persistence.DatabaseMigrations;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import org.eclipse.microprofile.health.Readiness;

/**
 * Delivers the invalidations that writes owe the cache. A write records one in its transaction;
 * right after commit it is applied, and its row is deleted with the others of the next few
 * milliseconds ({@link SettleBatcher}). One that fails (Redis away) stays in PostgreSQL, where
 * every replica's relay finds it, keeps its cache reads on PostgreSQL meanwhile, and applies it
 * once Redis answers again. Applying one twice is harmless.
 */
@ApplicationScoped
public class CacheInvalidations {
  private static final int BATCH = 100;
  private static final java.time.Duration RELAY_TIMEOUT = java.time.Duration.ofSeconds(5);
  private static final java.time.Duration WRITER_GRACE = java.time.Duration.ofSeconds(2);

  /**
   * How long an applied row waits to be deleted with the others that come meanwhile: at 400
   * orders/s, ~20 orders per DELETE. Far inside {@link #SETTLING}, so the relay leaves it alone.
   */
  private static final java.time.Duration SETTLE_DELAY = java.time.Duration.ofMillis(50);

  /**
   * A row this young is its writer's: applied before the write's answer and deleted within
   * milliseconds. While the gate is open the relay leaves it alone (applying it again would only
   * bump the products' versions and cost a refill); an older one it applies again.
   */
  private static final java.time.Duration SETTLING = java.time.Duration.ofMillis(500);

  private final ProductCache cache;
  private final CacheInvalidationRepository repository;
  private final RedisGate gate;
  private final SettleBatcher settler;
  private final DatabaseMigrations migrations;

  CacheInvalidations(
      ProductCache cache,
      CacheInvalidationRepository repository,
      RedisGate gate,
      @Readiness DatabaseMigrations migrations,
      Vertx vertx) {
    this.cache = cache;
    this.repository = repository;
    this.gate = gate;
    this.migrations = migrations;
    this.settler = new SettleBatcher(vertx, repository::settle, SETTLE_DELAY, RELAY_TIMEOUT);
  }

  /**
   * The rows applied in the last few milliseconds: deleted now, best effort (one left over is the
   * relay's, and may shut the gates for a poll once it is older than the grace period).
   */
  void stop(@Observes ShutdownEvent event) {
    settler
        .flush()
        .ifNoItem()
        .after(java.time.Duration.ofSeconds(2))
        .fail()
        .onFailure()
        .invoke(f -> Log.warnf("Applied invalidations left to the relay: %s", f.toString()))
        .onFailure()
        .recoverWithNull()
        .await()
        .indefinitely();
  }

  /** Records, inside the caller's transaction, that product {@code productId} changed. */
  Uni<CacheInvalidation> owe(long productId) {
    CacheInvalidation owed = new CacheInvalidation();
    owed.productId = productId;
    owed.createdAt = java.time.Instant.now();
    return repository.persist(owed);
  }

  /** After commit: applies it; a failure leaves it to the relay and never fails the write. */
  Uni<Void> apply(CacheInvalidation owed) {
    return apply(List.of(StockRows.Owed.of(owed)));
  }

  /**
   * After commit: applies the invalidations of one write (a stock function's are one per product of
   * an order) as {@link #apply(CacheInvalidation)} does, never a failure. Completes once the cache
   * has forgotten the products; their rows are deleted a little later.
   */
  Uni<Void> apply(List<StockRows.Owed> owed) {
    if (owed.isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    return invalidate(owed)
        .invoke(() -> settler.settle(owed.stream().map(StockRows.Owed::id).toList()))
        .onFailure()
        .recoverWithUni(
            failure -> {
              gate.invalidationsOwed();
              Log.warnf(
                  "Cache invalidation of products %s deferred: %s",
                  owed.stream().map(StockRows.Owed::productId).toList(), failure.toString());
              return Uni.createFrom().voidItem();
            });
  }

  /** Every replica, every {@code catalog.cache.invalidation-poll}: applies what is still owed. */
  @Scheduled(
      every = "${catalog.cache.invalidation-poll:1s}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  Uni<Void> relay() {
    // The scheduler starts before a first start's migrations have made the table: nothing can be
    // owed before them, and a query would only leave errors in both logs. The gate stays shut.
    if (!migrations.applied()) {
      return Uni.createFrom().voidItem();
    }
    long failuresBefore = gate.failures();
    return repository
        .oldest(BATCH)
        .chain(
            owed -> {
              // A row younger than the grace period is normally being applied by the write that
              // made it (which closes its own gate if that fails); only older ones prove that an
              // invalidation went missing and that reads elsewhere must not trust Redis.
              java.time.Instant now = java.time.Instant.now();
              java.time.Instant cutoff = now.minus(WRITER_GRACE);
              if (owed.stream().anyMatch(o -> o.createdAt.isBefore(cutoff))) {
                gate.invalidationsOwed();
              }
              if (owed.isEmpty()) {
                gate.nothingOwed(failuresBefore);
                return Uni.createFrom().voidItem();
              }
              if (!gate.reachable()) {
                return Uni.createFrom().voidItem();
              }
              java.time.Instant settled = now.minus(SETTLING);
              List<CacheInvalidation> due =
                  gate.open()
                      ? owed.stream().filter(o -> o.createdAt.isBefore(settled)).toList()
                      : owed;
              return invalidateAndSettle(due.stream().map(StockRows.Owed::of).toList())
                  // All applied (a full batch may have more behind it): the gate may open, unless
                  // Redis failed meanwhile.
                  .invoke(
                      () -> {
                        if (owed.size() < BATCH) {
                          gate.nothingOwed(failuresBefore);
                        }
                      })
                  .replaceWithVoid();
            })
        // A poll must end: with SKIP, one that hung would stop every later one.
        .ifNoItem()
        .after(RELAY_TIMEOUT)
        .fail()
        .onFailure()
        .recoverWithUni(
            failure -> {
              Log.warnf("Invalidation relay will retry: %s", failure.toString());
              return Uni.createFrom().voidItem();
            });
  }

  /**
   * The relay's: forgets the products in one cache call, then deletes the rows in one statement.
   */
  private Uni<Void> invalidateAndSettle(List<StockRows.Owed> owed) {
    if (owed.isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    List<Long> ids = owed.stream().map(StockRows.Owed::id).toList();
    return invalidate(owed).chain(() -> repository.settle(ids));
  }

  /** Forgets the products in one cache call. */
  private Uni<Void> invalidate(List<StockRows.Owed> owed) {
    return cache.invalidate(owed.stream().map(StockRows.Owed::productId).distinct().toList());
  }
}
