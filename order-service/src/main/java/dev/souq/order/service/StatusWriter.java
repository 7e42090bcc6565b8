package dev.souq.order.service;

import dev.souq.order.Amount;
import dev.souq.order.CustomerOrder;
import dev.souq.order.OrderStatus;
import dev.souq.order.OrderView;
import dev.souq.order.messaging.OutboxRelay;
import dev.souq.order.repository.OrderRepository;
import dev.souq.shared.messages.OrderUpdate;
import dev.souq.shared.persistence.PipelinedTransaction;
import dev.souq.shared.persistence.PipelinedTransaction.Statement;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowIterator;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * Status changes along the machine, each one transaction that also writes its event to the outbox:
 * the operator's (and worker-service's) moves, and the shopper's own cancel.
 */
@ApplicationScoped
class StatusWriter {
  private final OutboxMessages messages;
  private final Pool pool;
  private final OutboxRelay relay;

  StatusWriter(OutboxMessages messages, Pool pool, OutboxRelay relay) {
    this.messages = messages;
    this.pool = pool;
    this.relay = relay;
  }

  /** The order under a row lock, for a status change; one still reserving is not placed yet. */
  private static final String LOCK_ORDER =
      """
      SELECT user_id, status, total_cents, currency, created_at, placement, stock_state,
        paid_by, voided_payments
      FROM orders.customer_order WHERE id = $1 AND %s FOR UPDATE
      """
          .formatted(OrderRepository.PLACED);

  /** The same for its owner ($2) only: another user's order is neither locked nor seen. */
  private static final String LOCK_OWN_ORDER =
      """
      SELECT user_id, status, total_cents, currency, created_at, placement, stock_state,
        paid_by, voided_payments
      FROM orders.customer_order WHERE id = $1 AND user_id = $2 AND %s FOR UPDATE
      """
          .formatted(OrderRepository.PLACED);

  /**
   * The new status and stock state ($6), the charge it is PAID by ($10, null: unchanged), its
   * timeline step and its event ($5, both with the event id $8) and the jobs a cancel owes, the
   * release_stock job of an order that holds stock ($7) and the refund_payment job of a paid one
   * ($11), in one statement, which also answers the order's lines and earlier steps: the view costs
   * no round trip of its own. Its SELECT sees the tables as they were before the statement, so the
   * new step is not among them.
   */
  private static final String MOVE_ORDER =
      """
      WITH moved AS (
        UPDATE orders.customer_order
        SET status = $2, updated_at = $4, stock_state = $6, paid_by = coalesce($10, paid_by)
        WHERE id = $1),
      step AS (
        INSERT INTO orders.order_status_change
          (order_id, status, previous_status, changed_at, event_id, reason)
        VALUES ($1, $2, $3, $4, $8, $9)),
      event AS (
        INSERT INTO orders.outbox (kind, payload) VALUES ('ORDER_UPDATE', $5)),
      jobs AS (
        INSERT INTO orders.outbox (kind, payload)
        SELECT 'TASK', job FROM unnest(ARRAY[$7::text, $11::text]) AS job WHERE job IS NOT NULL)
      SELECT l.*, s.* FROM
      """
          + OrderRepository.linesAndSteps("$1");

  /**
   * Moves the order to {@code next} under a row lock and answers its view; null if there is no such
   * order. A payer's move names what it {@code charged} (null: nothing), which must be the order's
   * total, and may name the charge, its {@code payment}, which must not have been voided: a job
   * names the amount, the order decides ({@link LockedOrder}, {@link PaymentVoids}). Two round
   * trips on the reactive client: BEGIN with the lock, then the COMMIT with the one statement that
   * writes the status, its step and its event and reads the lines and timeline. Through Hibernate's
   * entities, as first written, the change took four times as many and the view read after the
   * commit two more, with Hibernate's own work on the event loop: that read alone was a third of
   * order-service's event-loop time at 100 changes/s.
   *
   * @throws IllegalTransitionException if the machine does not allow it, or the amount is not the
   *     order's
   */
  Uni<OrderView> changeStatus(long id, OrderStatus next, Amount charged, String payment) {
    return move(
        new Statement(LOCK_ORDER, Tuple.of(id)),
        id,
        next,
        false,
        null,
        new Payer(charged, payment));
  }

  /** What a payer's move names: the amount it charged, and the charge (each may be null). */
  private record Payer(Amount charged, String payment) {
    static final Payer NONE = new Payer(null, null);
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
    return move(lock, id, OrderStatus.CANCELLED, true, OrderUpdate.SHOPPER, Payer.NONE);
  }

  /**
   * Cancels the order only while it is still PENDING (an unpaid order; one paid meanwhile stays
   * paid); null if there is none.
   *
   * @throws IllegalTransitionException if it is no longer PENDING
   */
  Uni<OrderView> cancelUnpaid(long id) {
    return move(
        new Statement(LOCK_ORDER, Tuple.of(id)),
        id,
        OrderStatus.CANCELLED,
        true,
        OrderUpdate.UNPAID,
        Payer.NONE);
  }

  /** {@code reason}: why, for a cancel the operator did not decide ({@link OrderUpdate}). */
  private Uni<OrderView> move(
      Statement lock, long id, OrderStatus next, boolean pendingOnly, String reason, Payer payer) {
    return PipelinedTransaction.run(
        pool,
        transaction ->
            transaction
                .begin(lock)
                .chain(
                    lockedRows -> {
                      RowIterator<Row> rows = lockedRows.get(0).iterator();
                      if (!rows.hasNext()) {
                        return transaction.rollback().replaceWith((OrderView) null);
                      }
                      LockedOrder locked = LockedOrder.of(id, rows.next());
                      OrderStatus previous = locked.status();
                      RuntimeException refused =
                          locked.refusal(next, pendingOnly, payer.charged(), payer.payment());
                      if (refused != null) {
                        // Failing is enough: run() rolls the transaction back.
                        return Uni.createFrom().failure(refused);
                      }
                      CustomerOrder order = locked.movedTo(next);
                      OwedJobs owed = OwedJobs.of(messages, order, locked);
                      UUID event = UUID.randomUUID();
                      Tuple move =
                          Tuple.tuple()
                              .addLong(id)
                              .addString(next.name())
                              .addString(previous.name())
                              .addOffsetDateTime(
                                  OffsetDateTime.ofInstant(order.updatedAt(), ZoneOffset.UTC))
                              .addString(
                                  messages
                                      .update(order, previous, order.updatedAt(), event, reason)
                                      .payload())
                              .addString(owed.stockState(locked))
                              .addString(owed.release())
                              .addUUID(event)
                              .addString(reason)
                              .addString(next == OrderStatus.PAID ? payer.payment() : null)
                              .addString(owed.refund());
                      return transaction
                          .commit(new Statement(MOVE_ORDER, move))
                          .invoke(relay::committed)
                          .map(
                              written ->
                                  view(
                                      order,
                                      previous,
                                      event,
                                      reason,
                                      written.get(0).iterator().next()));
                    }));
  }

  /** The moved order's view: lines and earlier steps as MOVE_ORDER answered them, then this one. */
  private static OrderView view(
      CustomerOrder order, OrderStatus previous, UUID event, String reason, Row row) {
    List<OrderView.Step> history = OrderRepository.history(row);
    history.add(
        new OrderView.Step(order.status(), previous, order.updatedAt(), event, null, reason));
    return OrderView.of(order, OrderRepository.items(row), history);
  }
}
