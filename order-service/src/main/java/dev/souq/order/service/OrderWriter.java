package dev.souq.order.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.souq.order.CustomerOrder;
import dev.souq.order.OrderStatus;
import dev.souq.order.OrderView;
import dev.souq.order.OutboxEvent;
import dev.souq.order.client.CatalogProduct;
import dev.souq.order.repository.OrderRepository;
import dev.souq.shared.json.JsonText;
import dev.souq.shared.messages.OrderUpdate;
import dev.souq.shared.messages.Task;
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
import java.util.Map;
import java.util.UUID;

/**
 * Order writes, each one transaction that also writes the messages it causes to the outbox: a
 * change and its event are committed together or not at all. Placing an order, the hot path, goes
 * through the reactive PostgreSQL client in one statement, a status change in two (lock, write),
 * each in two round trips.
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

  private final ObjectMapper json;
  private final Pool pool;

  OrderWriter(ObjectMapper json, Pool pool) {
    this.json = json;
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
            update(order, null, now),
            task(order, "process_payment", placement, now),
            task(order, "send_order_confirmation", placement, now));
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

  /** The order under a row lock, for a status change. */
  private static final String LOCK_ORDER =
      """
      SELECT user_id, status, total_cents, currency, version, created_at
      FROM orders.customer_order WHERE id = $1 FOR UPDATE
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
    return changeStatus(id, next, null);
  }

  /**
   * The shopper's cancel: as {@link #changeStatus(long, OrderStatus)} to CANCELLED, decided on the
   * locked row, for the owner's order only (null for anyone else's, as if there were none) and only
   * while it is PENDING.
   *
   * @throws IllegalTransitionException if the order is no longer PENDING
   */
  Uni<OrderView> cancelByOwner(long id, String owner) {
    return changeStatus(id, OrderStatus.CANCELLED, owner);
  }

  private Uni<OrderView> changeStatus(long id, OrderStatus next, String owner) {
    return PipelinedTransaction.run(
        pool,
        transaction ->
            transaction
                .begin(new Statement(LOCK_ORDER, Tuple.of(id)))
                .chain(
                    locked -> {
                      RowIterator<Row> rows = locked.get(0).iterator();
                      if (!rows.hasNext()) {
                        return transaction.rollback().replaceWith((OrderView) null);
                      }
                      Row row = rows.next();
                      if (owner != null && !owner.equals(row.getString("user_id"))) {
                        return transaction.rollback().replaceWith((OrderView) null);
                      }
                      OrderStatus previous = OrderStatus.valueOf(row.getString("status"));
                      RuntimeException refused = refusal(previous, next, owner);
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
                              .addString(update(order, previous, order.updatedAt).payload);
                      return transaction
                          .commit(new Statement(MOVE_ORDER, move))
                          .map(written -> view(order, previous, written.get(0).iterator().next()));
                    }));
  }

  /** Why the move is not allowed, or null: the machine's rules, and the shopper's narrower one. */
  private static RuntimeException refusal(OrderStatus previous, OrderStatus next, String owner) {
    if (!previous.canMoveTo(next)) {
      return new IllegalTransitionException(previous, next);
    }
    if (owner != null && previous != OrderStatus.PENDING) {
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

  private OutboxEvent update(CustomerOrder order, OrderStatus previous, Instant at) {
    OrderUpdate message =
        new OrderUpdate(
            order.id,
            order.status.name(),
            at,
            previous == null ? null : previous.name(),
            order.userId,
            UUID.randomUUID().toString());
    return OutboxEvent.of(OutboxEvent.Kind.ORDER_UPDATE, JsonText.write(json, message));
  }

  /** A job for the order, keyed {@code order-<id>-<placement>-<type>}: unique for all time. */
  private OutboxEvent task(CustomerOrder order, String type, String placement, Instant at) {
    Task job =
        Task.of(
            UUID.randomUUID().toString(),
            type,
            json.valueToTree(Map.of("order_id", order.id)),
            at,
            "order-" + order.id + "-" + placement + "-" + type);
    return OutboxEvent.of(OutboxEvent.Kind.TASK, JsonText.write(json, job));
  }
}
