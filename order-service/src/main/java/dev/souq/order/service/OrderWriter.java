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
 * Placing an order, the hot path: one transaction that also writes the messages it causes to the
 * outbox (the order and its event and jobs are committed together or not at all), in one statement
 * on the reactive PostgreSQL client, two round trips. Status changes are {@link StatusWriter}'s.
 */
@ApplicationScoped
class OrderWriter {
  /** A product and how many of it. */
  record Line(CatalogProduct product, int quantity) {}

  private static final String NEXT_ORDER_ID = "SELECT nextval('orders.customer_order_id_seq')";

  /**
   * The order, its lines ($6–$10, one array per column), its first step and its outbox rows ($11,
   * $12), in one statement. WITH ORDINALITY … ORDER BY keeps the lines and the outbox in the order
   * given, so their serial ids (the order the relay sends in) follow it.
   */
  private static final String INSERT_ORDER =
      """
      WITH placed AS (
        INSERT INTO orders.customer_order
          (id, user_id, status, total_cents, currency, created_at, updated_at)
        VALUES ($1, $2, 'PENDING', $3, $4, $5, $5)),
      line AS (
        INSERT INTO orders.order_line (order_id, product_id, sku, name, unit_price_cents, quantity)
        SELECT $1, product_id, sku, name, unit_price_cents, quantity
        FROM unnest($6::bigint[], $7::text[], $8::text[], $9::bigint[], $10::int[])
          WITH ORDINALITY AS l (product_id, sku, name, unit_price_cents, quantity, n)
        ORDER BY n),
      step AS (
        INSERT INTO orders.order_status_change (order_id, status, previous_status, changed_at)
        VALUES ($1, 'PENDING', NULL, $5))
      INSERT INTO orders.outbox (kind, payload)
      SELECT kind, payload FROM unnest($11::text[], $12::text[]) WITH ORDINALITY AS o (kind, payload, n)
      ORDER BY n
      """;

  private final OutboxMessages messages;
  private final Pool pool;

  OrderWriter(OutboxMessages messages, Pool pool) {
    this.messages = messages;
    this.pool = pool;
  }

  /**
   * A PENDING order, its lines, its first timeline step, its event and its two jobs: two round
   * trips, the order's id, then one statement that writes every row (one statement is one
   * transaction). The answer is built from what was written: nothing is read back.
   */
  Uni<OrderView> place(String userId, List<Line> lines) {
    return pool.preparedQuery(NEXT_ORDER_ID)
        .execute()
        .chain(rows -> insert(rows.iterator().next().getLong(0), userId, lines));
  }

  private Uni<OrderView> insert(long id, String userId, List<Line> lines) {
    // PostgreSQL keeps microseconds: the answer shows what a later read of the order shows.
    Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
    CustomerOrder order = new CustomerOrder();
    order.id = id;
    order.userId = userId;
    order.status = OrderStatus.PENDING;
    order.currency = lines.get(0).product().currency();
    order.totalCents = lines.stream().mapToLong(l -> l.product().priceCents() * l.quantity()).sum();
    order.createdAt = now;
    order.updatedAt = now;
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
    // Order ids start again in a restored or recreated database while Redis keeps the keys of
    // the jobs that ran: a key must name this placement, not the order's number.
    String placement = UUID.randomUUID().toString();
    List<OutboxEvent> outbox =
        List.of(
            messages.update(order, null, now),
            messages.task(order, "process_payment", placement, now),
            messages.task(order, "send_order_confirmation", placement, now));
    Tuple row =
        Tuple.tuple()
            .addLong(id)
            .addString(userId)
            .addLong(order.totalCents)
            .addString(order.currency)
            .addOffsetDateTime(OffsetDateTime.ofInstant(now, ZoneOffset.UTC))
            .addArrayOfLong(items.stream().map(OrderView.Item::productId).toArray(Long[]::new))
            .addArrayOfString(items.stream().map(OrderView.Item::sku).toArray(String[]::new))
            .addArrayOfString(items.stream().map(OrderView.Item::name).toArray(String[]::new))
            .addArrayOfLong(items.stream().map(OrderView.Item::unitPriceCents).toArray(Long[]::new))
            .addArrayOfInteger(items.stream().map(OrderView.Item::quantity).toArray(Integer[]::new))
            .addArrayOfString(outbox.stream().map(e -> e.kind.name()).toArray(String[]::new))
            .addArrayOfString(outbox.stream().map(e -> e.payload).toArray(String[]::new));
    return pool.preparedQuery(INSERT_ORDER)
        .execute(row)
        .map(
            done ->
                OrderView.of(
                    order, items, List.of(new OrderView.Step(OrderStatus.PENDING, null, now))));
  }
}
