package dev.souq.order.service;

import dev.souq.order.repository.OrderRepository;
import dev.souq.shared.persistence.PooledQuery;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowIterator;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * A payer that cannot tell whether its move to PAID was made (its answer lost, or too late) asks
 * the order instead of reading it: a read can see PENDING while the move still waits for the row
 * lock, and the charge refunded then would pay for the order a moment later. Under the row lock the
 * order keeps the charge it was paid by, whatever its status since (a cancel after it refunds that
 * charge itself, with its refund_payment job); any other is voided, and its move refused however
 * late it comes (StatusWriter): the payer refunds exactly the charges the order does not keep.
 */
@ApplicationScoped
public class PaymentVoids {
  /** One statement: the lock, the answer, and the void when the charge is not kept. */
  private static final String VOID =
      """
      WITH locked AS (
        SELECT id, paid_by IS NOT DISTINCT FROM $2 AS kept
        FROM orders.customer_order WHERE id = $1 AND %s FOR UPDATE),
      voided AS (
        UPDATE orders.customer_order o
        SET voided_payments = array_append(coalesce(o.voided_payments, '{}'), $2)
        FROM locked
        WHERE o.id = locked.id AND NOT locked.kept
          AND NOT ($2 = ANY (coalesce(o.voided_payments, '{}'))))
      SELECT kept FROM locked
      """
          .formatted(OrderRepository.PLACED);

  private final Pool pool;

  PaymentVoids(Pool pool) {
    this.pool = pool;
  }

  /**
   * Whether order {@code id} was paid by {@code payment}, which it then keeps; otherwise the charge
   * is voided (false). Null if there is no such order. Safe to repeat: the answer never changes.
   */
  public Uni<Boolean> keepOrVoid(long id, String payment) {
    return PooledQuery.execute(pool, VOID, Tuple.of(id, payment))
        .map(
            rows -> {
              RowIterator<Row> found = rows.iterator();
              return found.hasNext() ? found.next().getBoolean("kept") : null;
            });
  }
}
