package dev.souq.order.service;

import dev.souq.order.CustomerOrder;
import dev.souq.order.OrderStatus;
import dev.souq.order.OrderView;
import dev.souq.order.repository.OrderRepository;
import dev.souq.shared.persistence.PipelinedTransaction;
import dev.souq.shared.persistence.PipelinedTransaction.Statement;
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
import java.util.List;
import java.util.Objects;

/**
 * Status changes along the machine, each one transaction that also writes its event to the outbox:
 * the operator's (and worker-service's) moves, and the shopper's own cancel.
 */
@ApplicationScoped
class StatusWriter {
  private final OutboxMessages messages;
  private final Pool pool;

  StatusWriter(OutboxMessages messages, Pool pool) {
    this.messages = messages;
    this.pool = pool;
  }

  /** The order under a row lock, for a status change. */
  private static final String LOCK_ORDER =
      """
      SELECT user_id, status, total_cents, currency, version, created_at
      FROM orders.customer_order WHERE id = $1 FOR UPDATE
      """;

  /** The same for its owner ($2) only: another user's order is neither locked nor seen. */
  private static final String LOCK_OWN_ORDER =
      """
      SELECT user_id, status, total_cents, currency, version, created_at
      FROM orders.customer_order WHERE id = $1 AND user_id = $2 FOR UPDATE
      """;

  /**
   * The new status, its timeline step and its event ($5) in one statement, which also answers the
   * order's lines and earlier steps: the view costs no round trip of its own. Its SELECT sees the
   * tables as they were before the statement, so the new step is not among them.
   */
  private static final String MOVE_ORDER =
      """
      WITH moved AS (
        UPDATE orders.customer_order SET status = $2, updated_at = $4, version = version + 1
        WHERE id = $1),
      step AS (
        INSERT INTO orders.order_status_change (order_id, status, previous_status, changed_at)
        VALUES ($1, $2, $3, $4)),
      event AS (
        INSERT INTO orders.outbox (kind, payload) VALUES ('ORDER_UPDATE', $5))
      SELECT l.*, s.* FROM
      """
          + OrderRepository.linesAndSteps("$1");

  /**
   * Moves the order to {@code next} under a row lock and answers its view; null if there is no such
   * order. Four round trips on the reactive client (begin, lock, one statement writing the status,
   * its step and its event and reading the lines and timeline, commit). Through the entities the
   * change took twice as many and the view read after the commit two more, with Hibernate's own
   * work on the event loop: that read alone was a third of order-service's event-loop time at 100
   * changes/s.
   *
   * @throws IllegalTransitionException if the machine does not allow it
   */
  Uni<OrderView> changeStatus(long id, OrderStatus next) {
    return move(new Statement(LOCK_ORDER, Tuple.of(id)), id, next, false);
  }

  /**
   * The shopper's cancel, decided on the locked row: {@code owner}'s order only (null for anyone
   * else's, as if there were none) and only while it is PENDING.
   *
   * @throws IllegalTransitionException if the order is no longer PENDING
   */
  Uni<OrderView> cancel(String owner, long id) {
    Objects.requireNonNull(owner, "owner");
    Statement lock = new Statement(LOCK_OWN_ORDER, Tuple.of(id, owner));
    return move(lock, id, OrderStatus.CANCELLED, true);
  }

  private Uni<OrderView> move(Statement lock, long id, OrderStatus next, boolean byShopper) {
    return PipelinedTransaction.run(
        pool,
        transaction ->
            transaction
                .begin(lock)
                .chain(
                    locked -> {
                      RowIterator<Row> rows = locked.get(0).iterator();
                      if (!rows.hasNext()) {
                        return transaction.rollback().replaceWith((OrderView) null);
                      }
                      Row row = rows.next();
                      OrderStatus previous = OrderStatus.valueOf(row.getString("status"));
                      RuntimeException refused = refusal(previous, next, byShopper);
                      if (refused != null) {
                        return transaction
                            .rollback()
                            .chain(() -> Uni.createFrom().failure(refused));
                      }
                      CustomerOrder order = moved(id, row, next);
                      Tuple move =
                          Tuple.tuple()
                              .addLong(id)
                              .addString(next.name())
                              .addString(previous.name())
                              .addOffsetDateTime(
                                  OffsetDateTime.ofInstant(order.updatedAt, ZoneOffset.UTC))
                              .addString(messages.update(order, previous, order.updatedAt).payload);
                      return transaction
                          .commit(new Statement(MOVE_ORDER, move))
                          .map(written -> view(order, previous, written.get(0).iterator().next()));
                    }));
  }

  /** Why the move is not allowed, or null: the machine's rules, and the shopper's narrower one. */
  private static RuntimeException refusal(
      OrderStatus previous, OrderStatus next, boolean byShopper) {
    if (!previous.canMoveTo(next)) {
      return new IllegalTransitionException(previous, next);
    }
    if (byShopper && previous != OrderStatus.PENDING) {
      return IllegalTransitionException.notCancellableByShopper(previous);
    }
    return null;
  }

  /** The order as it is once moved to {@code next}, from its locked row. */
  private static CustomerOrder moved(long id, Row row, OrderStatus next) {
    CustomerOrder order = new CustomerOrder();
    order.id = id;
    order.userId = row.getString("user_id");
    order.status = next;
    order.totalCents = row.getLong("total_cents");
    order.currency = row.getString("currency");
    order.version = row.getLong("version") + 1;
    order.createdAt = row.getOffsetDateTime("created_at").toInstant();
    // PostgreSQL keeps microseconds: the answer shows what a later read shows.
    order.updatedAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
    return order;
  }

  /** The moved order's view: lines and earlier steps as MOVE_ORDER answered them, then this one. */
  private static OrderView view(CustomerOrder order, OrderStatus previous, Row row) {
    List<OrderView.Step> history = OrderRepository.history(row);
    history.add(new OrderView.Step(order.status, previous, order.updatedAt));
    return OrderView.of(order, OrderRepository.items(row), history);
  }
}
