package dev.souq.order.service;

import dev.souq.order.messaging.OutboxRelay;
import dev.souq.order.repository.OrderRepository;
import dev.souq.shared.messages.JobFate;
import dev.souq.shared.persistence.PooledQuery;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowIterator;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/**
 * Writes what became of one of an order's jobs (worker-service reports a failed attempt that will
 * run again, or a job given up) like a status change: a timeline step and its event in the outbox,
 * in one statement, so the owner's browsers hear of it in order with the order's status changes.
 */
@ApplicationScoped
class JobFateWriter {
  /**
   * The step ($3 the job as JSON, $4 the event id) and its event ($5, built with the status and
   * owner $6/$7 read just before) in one statement, for a placed order whose status is still the
   * one read. The row lock orders it with moves: one in flight is waited for, and if it changed the
   * status this writes nothing and the caller reads again (an event never carries a stale status).
   */
  private static final String WRITE =
      """
      WITH o AS (
        SELECT id, status FROM orders.customer_order
        WHERE id = $1 AND status = $6 AND user_id = $7 AND %s
        FOR UPDATE),
      step AS (
        INSERT INTO orders.order_status_change
          (order_id, status, previous_status, changed_at, event_id, job)
        SELECT id, status, status, $2, $4, $3 FROM o)
      INSERT INTO orders.outbox (kind, payload) SELECT 'ORDER_UPDATE', $5 FROM o
      """
          .formatted(OrderRepository.PLACED);

  private static final String READ =
      "SELECT status, user_id FROM orders.customer_order WHERE id = $1 AND %s"
          .formatted(OrderRepository.PLACED);

  private final OutboxMessages messages;
  private final Pool pool;
  private final OutboxRelay relay;

  JobFateWriter(OutboxMessages messages, Pool pool, OutboxRelay relay) {
    this.messages = messages;
    this.pool = pool;
    this.relay = relay;
  }

  /** Records {@code fate} on the order's timeline; false if there is no such order. */
  Uni<Boolean> record(long id, JobFate fate) {
    return PooledQuery.execute(pool, READ, Tuple.of(id))
        .chain(
            rows -> {
              RowIterator<Row> found = rows.iterator();
              if (!found.hasNext()) {
                return Uni.createFrom().item(false);
              }
              Row order = found.next();
              return write(id, order.getString("status"), order.getString("user_id"), fate)
                  .chain(written -> written ? Uni.createFrom().item(true) : record(id, fate));
            });
  }

  private Uni<Boolean> write(long id, String status, String userId, JobFate fate) {
    // PostgreSQL keeps microseconds: the step reads back as the event says.
    Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
    UUID event = UUID.randomUUID();
    Tuple row =
        Tuple.tuple()
            .addLong(id)
            .addOffsetDateTime(OffsetDateTime.ofInstant(now, ZoneOffset.UTC))
            .addString(messages.text(fate))
            .addUUID(event)
            .addString(messages.job(id, userId, status, fate, now, event).payload())
            .addString(status)
            .addString(userId);
    return PooledQuery.execute(pool, WRITE, row)
        .invoke(relay::committed)
        .map(written -> written.rowCount() > 0);
  }
}
