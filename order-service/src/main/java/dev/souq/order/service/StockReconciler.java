package dev.souq.order.service;

import dev.souq.order.config.OrderConfig;
import dev.souq.order.messaging.OutboxRelay;
import dev.souq.shared.persistence.DatabaseMigrations;
import dev.souq.shared.persistence.PipelinedTransaction;
import dev.souq.shared.persistence.PipelinedTransaction.Statement;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.health.Readiness;

/**
 * Gives up orders whose placing request never finished (its process died, PostgreSQL failed after
 * the reservation): an order still RESERVING after {@code order.stock.reservation-timeout} is
 * deleted together with a release_stock job, so stock the catalog may hold for it goes back. On
 * every replica; SKIP LOCKED lets them share the work, and a request that confirms its order at the
 * same moment waits for the row lock and then finds nothing to confirm.
 */
@ApplicationScoped
class StockReconciler {
  private static final int BATCH = 100;

  private static final String STALE =
      """
      SELECT id, placement FROM orders.customer_order
      WHERE stock_state = 'RESERVING' AND created_at < $1
      ORDER BY created_at LIMIT %d FOR UPDATE SKIP LOCKED
      """
          .formatted(BATCH);

  private static final String ABANDON =
      """
      WITH gone AS (
        DELETE FROM orders.customer_order o
        USING unnest($1::bigint[], $2::text[]) AS r (id, job)
        WHERE o.id = r.id
        RETURNING r.job)
      INSERT INTO orders.outbox (kind, payload) SELECT 'TASK', job FROM gone
      """;

  private final OutboxMessages messages;
  private final Pool pool;
  private final OrderConfig config;
  private final DatabaseMigrations migrations;
  private final OutboxRelay relay;

  StockReconciler(
      OutboxMessages messages,
      Pool pool,
      OrderConfig config,
      @Readiness DatabaseMigrations migrations,
      OutboxRelay relay) {
    this.messages = messages;
    this.pool = pool;
    this.config = config;
    this.migrations = migrations;
    this.relay = relay;
  }

  @Scheduled(
      every = "${order.stock.reconcile-every:15s}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  Uni<Void> reconcile() {
    if (!migrations.applied()) {
      return Uni.createFrom().voidItem();
    }
    return abandonStale()
        .invoke(
            n -> {
              if (n > 0) {
                Log.warnf("Gave up %d orders that never finished reserving their stock", n);
              }
            })
        .onFailure()
        .invoke(f -> Log.warnf("Stock reconciliation will retry: %s", f.toString()))
        .onFailure()
        .recoverWithNull()
        .replaceWithVoid();
  }

  /** One batch: how many orders were given up. */
  Uni<Integer> abandonStale() {
    Instant cutoff = Instant.now().minus(config.stock().reservationTimeout());
    Statement stale =
        new Statement(STALE, Tuple.of(OffsetDateTime.ofInstant(cutoff, ZoneOffset.UTC)));
    return PipelinedTransaction.run(
        pool,
        transaction ->
            transaction
                .begin(stale)
                .chain(
                    found -> {
                      List<Long> ids = new ArrayList<>();
                      List<String> jobs = new ArrayList<>();
                      Instant now = Instant.now();
                      for (Row row : found.get(0)) {
                        ids.add(row.getLong("id"));
                        jobs.add(
                            messages
                                .release(row.getLong("id"), row.getUUID("placement"), now)
                                .payload());
                      }
                      if (ids.isEmpty()) {
                        return transaction.rollback().replaceWith(0);
                      }
                      Tuple abandon =
                          Tuple.tuple()
                              .addArrayOfLong(ids.toArray(Long[]::new))
                              .addArrayOfString(jobs.toArray(String[]::new));
                      return transaction
                          .commit(new Statement(ABANDON, abandon))
                          .invoke(relay::committed)
                          .replaceWith(ids.size());
                    }));
  }
}
