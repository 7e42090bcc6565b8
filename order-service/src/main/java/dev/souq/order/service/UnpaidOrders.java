package dev.souq.order.service;

import dev.souq.order.repository.OrderRepository;
import dev.souq.shared.metrics.Gauges;
import dev.souq.shared.persistence.DatabaseMigrations;
import dev.souq.shared.persistence.PooledQuery;
import io.micrometer.core.instrument.Gauge;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.Readiness;

/**
 * Orders left unpaid: PENDING for longer than {@code SOUQ_UNPAID_ORDER_TIMEOUT} (default 30 min).
 * worker-service's periodic cancel_unpaid_orders job cancels them here, each through the status
 * machine (so its stock is released and its owner's browser told, like any cancel); the gauge
 * {@code souq_orders_unpaid_overdue} says how many there are, so one left behind is seen.
 */
@ApplicationScoped
public class UnpaidOrders {
  /** What one call did: how many it cancelled, and whether more are overdue. */
  public record Cancelled(int cancelled, boolean more) {}

  private static final String OVERDUE =
      "SELECT id FROM orders.customer_order WHERE status = 'PENDING' AND "
          + OrderRepository.PLACED
          + " AND created_at < $1 ORDER BY created_at LIMIT $2";

  private static final String COUNT =
      "SELECT count(*) FROM orders.customer_order WHERE status = 'PENDING' AND "
          + OrderRepository.PLACED
          + " AND created_at < $1";

  /**
   * How long a recount is waited for: one that hangs (a connection PostgreSQL no longer answers on)
   * is then logged and the next may start; the query itself may keep its connection busy.
   */
  private static final Duration COUNT_TIMEOUT = Duration.ofSeconds(10);

  private final StatusWriter statuses;
  private final Pool pool;
  private final DatabaseMigrations migrations;
  private final Duration timeout;
  private final AtomicLong overdue = new AtomicLong();

  UnpaidOrders(
      StatusWriter statuses,
      Pool pool,
      @Readiness DatabaseMigrations migrations,
      Gauges gauges,
      @ConfigProperty(name = "souq.unpaid-order-timeout", defaultValue = "30m") Duration timeout) {
    this.statuses = statuses;
    this.pool = pool;
    this.migrations = migrations;
    this.timeout = timeout;
    gauges.register(
        Gauge.builder("souq_orders_unpaid_overdue", overdue, AtomicLong::get)
            .description("PENDING orders older than SOUQ_UNPAID_ORDER_TIMEOUT, as last counted"));
  }

  /**
   * Cancels up to {@code limit} overdue orders, oldest first, one after the other. One paid or
   * cancelled meanwhile is refused by the machine and skipped: it is not counted.
   */
  public Uni<Cancelled> cancelOverdue(int limit) {
    return PooledQuery.execute(pool, OVERDUE, Tuple.of(cutoff(), limit + 1))
        .chain(
            rows -> {
              List<Long> ids = new ArrayList<>();
              for (Row row : rows) {
                ids.add(row.getLong("id"));
              }
              boolean more = ids.size() > limit;
              return Multi.createFrom()
                  .iterable(more ? ids.subList(0, limit) : ids)
                  .onItem()
                  .transformToUniAndConcatenate(this::cancel)
                  .collect()
                  .asList()
                  .map(
                      done ->
                          new Cancelled(
                              (int) done.stream().filter(Boolean::booleanValue).count(), more));
            });
  }

  /**
   * Every replica, every minute: recounts the overdue orders for the gauge; never two at once, so a
   * late count cannot overwrite a newer one.
   */
  @Scheduled(
      every = "${order.unpaid.count-every:1m}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  Uni<Void> count() {
    if (!migrations.applied()) {
      return Uni.createFrom().voidItem();
    }
    return PooledQuery.execute(pool, COUNT, Tuple.of(cutoff()))
        .ifNoItem()
        .after(COUNT_TIMEOUT)
        .fail()
        .invoke(rows -> overdue.set(rows.iterator().next().getLong(0)))
        .onFailure()
        .invoke(
            f ->
                Log.warnf(
                    "Counting unpaid orders failed, souq_orders_unpaid_overdue stays at %d: %s",
                    overdue.get(), f.toString()))
        .onFailure()
        .recoverWithNull()
        .replaceWithVoid();
  }

  private Uni<Boolean> cancel(long id) {
    return statuses
        .cancelUnpaid(id)
        .map(order -> order != null)
        .onFailure(IllegalTransitionException.class)
        .recoverWithItem(false);
  }

  private OffsetDateTime cutoff() {
    return OffsetDateTime.ofInstant(Instant.now().minus(timeout), ZoneOffset.UTC);
  }
}
