package dev.souq.order.service;

import dev.souq.order.CustomerOrder;
import dev.souq.order.OrderStatus;
import dev.souq.order.OrderView;
import dev.souq.order.OutboxEvent;
import dev.souq.order.client.CatalogProduct;
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
 * {@link #begin} writes the order RESERVING, which nobody sees and which owes no message yet; once
 * its stock is held, {@link #confirm} marks it RESERVED and writes the messages it causes to the
 * outbox, in one statement (the order is announced and its jobs queued together or not at all). One
 * that cannot be reserved is {@link #discard}ed or {@link #abandon}ed. Each write is one statement
 * on the reactive PostgreSQL client. Status changes are {@link StatusWriter}'s.
 */
@ApplicationScoped
class OrderWriter {
  /** A product and how many of it. */
  record Line(CatalogProduct product, int quantity) {}

  /** An order written RESERVING: its view as it will be answered, and what confirming it owes. */
  record Reserving(OrderView view, UUID placement, List<OutboxEvent> outbox) {}

  /**
   * The order, RESERVING under its placement ($10), its lines ($5–$9, one array per column) and its
   * first step, in one statement that also draws the order's id and answers it: one round trip.
   * WITH ORDINALITY … ORDER BY keeps the lines in the order given, so their serial ids follow it.
   */
  private static final String INSERT_ORDER =
      """
      WITH o AS (SELECT nextval('orders.customer_order_id_seq') AS id),
      placed AS (
        INSERT INTO orders.customer_order
          (id, user_id, status, total_cents, currency, created_at, updated_at, placement,
           stock_state)
        SELECT id, $1, 'PENDING', $2, $3, $4, $4, $10, 'RESERVING' FROM o),
      line AS (
        INSERT INTO orders.order_line (order_id, product_id, sku, name, unit_price_cents, quantity)
        SELECT o.id, l.product_id, l.sku, l.name, l.unit_price_cents, l.quantity
        FROM o, unnest($5::bigint[], $6::text[], $7::text[], $8::bigint[], $9::int[])
          WITH ORDINALITY AS l (product_id, sku, name, unit_price_cents, quantity, n)
        ORDER BY l.n)
      INSERT INTO orders.order_status_change (order_id, status, previous_status, changed_at, event_id)
      SELECT id, 'PENDING', NULL, $4, $11 FROM o
      RETURNING order_id
      """;

  /**
   * RESERVING → RESERVED and the outbox rows ($2, $3) in one statement; no row when the order is no
   * longer RESERVING (StockReconciler gave it up meanwhile), and then no message either. The
   * outbox's serial ids follow the order given.
   */
  private static final String CONFIRM =
      """
      WITH confirmed AS (
        UPDATE orders.customer_order SET stock_state = 'RESERVED'
        WHERE id = $1 AND stock_state = 'RESERVING'
        RETURNING id)
      INSERT INTO orders.outbox (kind, payload)
      SELECT o.kind, o.payload
      FROM confirmed, unnest($2::text[], $3::text[]) WITH ORDINALITY AS o (kind, payload, n)
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

  OrderWriter(OutboxMessages messages, Pool pool) {
    this.messages = messages;
    this.pool = pool;
  }

  /**
   * The order written RESERVING, with its lines and first timeline step: one statement, which draws
   * the order's id. The answer is built from what was written: nothing else is read back.
   */
  Uni<Reserving> begin(String userId, List<Line> lines) {
    // PostgreSQL keeps microseconds: the answer shows what a later read of the order shows.
    Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
    List<OrderView.Item> items =
        lines.stream()
            .map(
                l ->
                    new OrderView.Item(
                        l.product().id(),
                        l.product().sku(),
                        l.product().name(),
                        l.product().priceCents(),
                        l.quantity()))
            .toList();
    String currency = lines.get(0).product().currency();
    long totalCents = items.stream().mapToLong(i -> i.unitPriceCents() * i.quantity()).sum();
    // Order ids start again in a restored or recreated database while Redis keeps the keys of
    // the jobs that ran: a key must name this placement, not the order's number.
    UUID placement = UUID.randomUUID();
    UUID event = UUID.randomUUID();
    return pool.preparedQuery(INSERT_ORDER)
        .execute(insertRow(userId, items, currency, totalCents, now, placement, event))
        .map(
            written -> {
              CustomerOrder order = new CustomerOrder();
              order.id = written.iterator().next().getLong(0);
              order.userId = userId;
              order.status = OrderStatus.PENDING;
              order.currency = currency;
              order.totalCents = totalCents;
              order.createdAt = now;
              order.updatedAt = now;
              return reserving(order, items, placement, event, now);
            });
  }

  private static Tuple insertRow(
      String userId,
      List<OrderView.Item> items,
      String currency,
      long totalCents,
      Instant now,
      UUID placement,
      UUID event) {
    return Tuple.tuple()
        .addString(userId)
        .addLong(totalCents)
        .addString(currency)
        .addOffsetDateTime(OffsetDateTime.ofInstant(now, ZoneOffset.UTC))
        .addArrayOfLong(items.stream().map(OrderView.Item::productId).toArray(Long[]::new))
        .addArrayOfString(items.stream().map(OrderView.Item::sku).toArray(String[]::new))
        .addArrayOfString(items.stream().map(OrderView.Item::name).toArray(String[]::new))
        .addArrayOfLong(items.stream().map(OrderView.Item::unitPriceCents).toArray(Long[]::new))
        .addArrayOfInteger(items.stream().map(OrderView.Item::quantity).toArray(Integer[]::new))
        .addUUID(placement)
        .addUUID(event);
  }

  /** Marks the order RESERVED and writes its event and jobs; false if it was given up meanwhile. */
  Uni<Boolean> confirm(Reserving order) {
    Tuple row =
        Tuple.tuple()
            .addLong(order.view().id())
            .addArrayOfString(
                order.outbox().stream().map(e -> e.kind.name()).toArray(String[]::new))
            .addArrayOfString(order.outbox().stream().map(e -> e.payload).toArray(String[]::new));
    return pool.preparedQuery(CONFIRM).execute(row).map(written -> written.rowCount() > 0);
  }

  /** Deletes an order whose stock the catalog refused. */
  Uni<Void> discard(Reserving order) {
    return pool.preparedQuery(DISCARD).execute(Tuple.of(order.view().id())).replaceWithVoid();
  }

  /** Deletes an order whose reservation is in doubt, with the job that releases it. */
  Uni<Void> abandon(Reserving order) {
    String release = messages.release(order.view().id(), order.placement(), Instant.now()).payload;
    return pool.preparedQuery(ABANDON)
        .execute(Tuple.of(order.view().id(), release))
        .replaceWithVoid();
  }

  /** The written order as answered, and the event and jobs its confirmation owes. */
  private Reserving reserving(
      CustomerOrder order, List<OrderView.Item> items, UUID placement, UUID event, Instant now) {
    List<OutboxEvent> outbox =
        List.of(
            messages.update(order, null, now, event, null),
            messages.task(order, "process_payment", placement.toString(), now),
            messages.task(order, "send_order_confirmation", placement.toString(), now));
    OrderView view =
        OrderView.of(
            order, items, List.of(new OrderView.Step(OrderStatus.PENDING, null, now, event)));
    return new Reserving(view, placement, outbox);
  }
}
