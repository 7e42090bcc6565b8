package dev.souq.order.service;

import dev.souq.order.CustomerOrder;
import dev.souq.order.OrderStatus;
import dev.souq.order.OrderView;
import dev.souq.order.OutboxEvent;
import dev.souq.order.client.ReservedLine;
import dev.souq.order.messaging.OutboxRelay;
import dev.souq.shared.persistence.PooledQuery;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

/**
 * Placing an order, the hot path, in two writes around the catalog's reservation (README "Stock"):
 * {@link #begin} writes the order RESERVING, which nobody sees and which owes no message yet; the
 * reservation answers its lines as sold, and {@link #confirm} writes them, prices the order, marks
 * it RESERVED and writes the messages it causes to the outbox, in one statement (the order is
 * announced and its jobs queued together or not at all). One that cannot be reserved is {@link
 * #discard}ed or {@link #abandon}ed. Each write is one statement on the reactive PostgreSQL client.
 * Status changes are {@link StatusWriter}'s.
 */
@ApplicationScoped
class OrderWriter {
  /** An order written RESERVING: what its confirmation needs, and what undoing it needs. */
  record Reserving(long id, String userId, UUID placement, UUID event, Instant createdAt) {}

  /**
   * The order, RESERVING under its placement ($3) and not yet priced, and its first step, in one
   * statement that also draws the order's id and answers it: one round trip.
   */
  private static final String INSERT_ORDER =
      """
      WITH o AS (SELECT nextval('orders.customer_order_id_seq') AS id),
      placed AS (
        INSERT INTO orders.customer_order
          (id, user_id, status, created_at, updated_at, placement, stock_state)
        SELECT id, $1, 'PENDING', $2, $2, $3, 'RESERVING' FROM o)
      INSERT INTO orders.order_status_change (order_id, status, previous_status, changed_at, event_id)
      SELECT id, 'PENDING', NULL, $2, $4 FROM o
      RETURNING order_id
      """;

  /**
   * RESERVING → RESERVED with its total ($2) and currency ($3), its lines ($4–$8, one array per
   * column) and its outbox rows ($9, $10) in one statement; nothing when the order is no longer
   * RESERVING (StockReconciler gave it up meanwhile), and then no message either. WITH ORDINALITY …
   * ORDER BY keeps lines and outbox rows in the order given, so their serial ids follow it.
   */
  private static final String CONFIRM =
      """
      WITH confirmed AS (
        UPDATE orders.customer_order
        SET stock_state = 'RESERVED', total_cents = $2, currency = $3
        WHERE id = $1 AND stock_state = 'RESERVING'
        RETURNING id),
      line AS (
        INSERT INTO orders.order_line (order_id, product_id, sku, name, unit_price_cents, quantity)
        SELECT c.id, l.product_id, l.sku, l.name, l.unit_price_cents, l.quantity
        FROM confirmed c, unnest($4::bigint[], $5::text[], $6::text[], $7::bigint[], $8::int[])
          WITH ORDINALITY AS l (product_id, sku, name, unit_price_cents, quantity, n)
        ORDER BY l.n)
      INSERT INTO orders.outbox (kind, payload)
      SELECT o.kind, o.payload
      FROM confirmed, unnest($9::text[], $10::text[]) WITH ORDINALITY AS o (kind, payload, n)
      ORDER BY o.n
      """;

  /** A RESERVING order the catalog refused: nothing is held, so nothing is owed. */
  private static final String DISCARD =
      "DELETE FROM orders.customer_order WHERE id = $1 AND stock_state = 'RESERVING'";

  /**
   * A RESERVING order whose reservation may or may not have been made: deleted together with the
   * release_stock job ($2) that makes the catalog give the placement back or refuse it for good.
   */
  private static final String ABANDON =
      """
      WITH gone AS (
        DELETE FROM orders.customer_order WHERE id = $1 AND stock_state = 'RESERVING'
        RETURNING id)
      INSERT INTO orders.outbox (kind, payload) SELECT 'TASK', $2 FROM gone
      """;

  private final OutboxMessages messages;
  private final Pool pool;
  private final OutboxRelay relay;

  OrderWriter(OutboxMessages messages, Pool pool, OutboxRelay relay) {
    this.messages = messages;
    this.pool = pool;
    this.relay = relay;
  }

  /** The order written RESERVING with its first timeline step: one statement. */
  Uni<Reserving> begin(String userId) {
    // PostgreSQL keeps microseconds: the answer shows what a later read of the order shows.
    Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
    // Order ids start again in a restored or recreated database while Redis keeps the keys of
    // the jobs that ran: a key must name this placement, not the order's number.
    UUID placement = UUID.randomUUID();
    UUID event = UUID.randomUUID();
    Tuple row = Tuple.of(userId, OffsetDateTime.ofInstant(now, ZoneOffset.UTC), placement, event);
    return PooledQuery.execute(pool, INSERT_ORDER, row)
        .map(
            written ->
                new Reserving(written.iterator().next().getLong(0), userId, placement, event, now));
  }

  /**
   * Prices the order by its reserved lines (all in one currency, which the catalog checked), marks
   * it RESERVED and writes its event and jobs; answers it as written, or null if it was given up
   * meanwhile. Nothing is read back.
   */
  Uni<OrderView> confirm(Reserving reserving, List<ReservedLine> lines) {
    List<OrderView.Item> items =
        lines.stream()
            .map(
                l ->
                    new OrderView.Item(
                        l.productId(), l.sku(), l.name(), l.priceCents(), l.quantity()))
            .toList();
    Instant now = reserving.createdAt();
    CustomerOrder order =
        new CustomerOrder(
            reserving.id(),
            reserving.userId(),
            OrderStatus.PENDING,
            items.stream().mapToLong(i -> i.unitPriceCents() * i.quantity()).sum(),
            lines.get(0).currency(),
            now,
            now);
    String placement = reserving.placement().toString();
    List<OutboxEvent> outbox =
        List.of(
            messages.update(order, null, now, reserving.event(), null),
            messages.payment(order, placement, now),
            messages.task(order, "send_order_confirmation", placement, now));
    Tuple row =
        Tuple.tuple()
            .addLong(order.id())
            .addLong(order.totalCents())
            .addString(order.currency())
            .addArrayOfLong(items.stream().map(OrderView.Item::productId).toArray(Long[]::new))
            .addArrayOfString(items.stream().map(OrderView.Item::sku).toArray(String[]::new))
            .addArrayOfString(items.stream().map(OrderView.Item::name).toArray(String[]::new))
            .addArrayOfLong(items.stream().map(OrderView.Item::unitPriceCents).toArray(Long[]::new))
            .addArrayOfInteger(items.stream().map(OrderView.Item::quantity).toArray(Integer[]::new))
            .addArrayOfString(outbox.stream().map(e -> e.kind().name()).toArray(String[]::new))
            .addArrayOfString(outbox.stream().map(e -> e.payload()).toArray(String[]::new));
    OrderView view =
        OrderView.of(
            order,
            items,
            List.of(new OrderView.Step(OrderStatus.PENDING, null, now, reserving.event())));
    return PooledQuery.execute(pool, CONFIRM, row)
        .invoke(relay::committed)
        .map(written -> written.rowCount() > 0 ? view : null);
  }

  /** Deletes an order whose stock the catalog refused. */
  Uni<Void> discard(Reserving order) {
    return PooledQuery.execute(pool, DISCARD, Tuple.of(order.id())).replaceWithVoid();
  }

  /** Deletes an order whose reservation is in doubt, with the job that releases it. */
  Uni<Void> abandon(Reserving order) {
    String release = messages.release(order.id(), order.placement(), Instant.now()).payload();
    return PooledQuery.execute(pool, ABANDON, Tuple.of(order.id(), release))
        .invoke(relay::committed)
        .replaceWithVoid();
  }
}
