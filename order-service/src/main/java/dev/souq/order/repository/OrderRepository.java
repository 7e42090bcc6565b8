package dev.souq.order.repository;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.souq.order.OrderStatus;
import dev.souq.order.OrderView;
import dev.souq.shared.json.JsonText;
import dev.souq.shared.messages.JobFate;
import dev.souq.shared.persistence.PooledQuery;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowIterator;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Orders as their owners see them, each with its lines and timeline read in the same statement (one
 * array per column), on the reactive client. Through Hibernate's entities, as first written, a view
 * took three queries one after the other and a list of 50 orders 101, with Hibernate's own work on
 * the event loop; the worker reads every order it pays or confirms, so this is a hot path.
 */
@ApplicationScoped
public class OrderRepository {
  private static final String COLUMNS =
      "SELECT o.id, o.status, o.total_cents, o.currency, o.created_at, o.updated_at, l.*, s.*";

  private static final String VIEW =
      COLUMNS + " FROM orders.customer_order o, " + linesAndSteps("o.id");

  /** An order still reserving its stock is not placed yet: nobody sees it (V3__stock.sql). */
  public static final String PLACED = "stock_state <> 'RESERVING'";

  /** The operator's view: also the owner's account address, where the confirmation is mailed. */
  private static final String ONE_WITH_EMAIL =
      COLUMNS
          + ", a.email FROM orders.customer_order o"
          + " LEFT JOIN orders.account a ON a.user_id = o.user_id, "
          + linesAndSteps("o.id")
          + " WHERE o.id = $1 AND o."
          + PLACED;

  private static final String ONE_OF_USER =
      VIEW + " WHERE o.id = $1 AND o.user_id = $2 AND o." + PLACED;

  /**
   * A page of the user's history: older than order $2, newest first (index customer_order_user).
   */
  private static final String PAGE_OF_USER =
      VIEW + " WHERE o.user_id = $1 AND o.id < $2 AND o." + PLACED + " ORDER BY o.id DESC LIMIT $3";

  private final Pool pool;

  /** Reads the job steps' JSON, which order-service wrote itself (dates as ISO-8601 text). */
  private static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules();

  OrderRepository(Pool pool) {
    this.pool = pool;
  }

  /**
   * FROM items {@code l} (the lines) and {@code s} (the timeline) of the order whose id is the SQL
   * expression {@code orderId}: one row, one array per column, in id order; read by {@link
   * #items(Row)} and {@link #history(Row)}.
   */
  public static String linesAndSteps(String orderId) {
    return """
        LATERAL (SELECT array_agg(product_id ORDER BY id) AS line_product_id,
                        array_agg(sku ORDER BY id) AS line_sku,
                        array_agg(name ORDER BY id) AS line_name,
                        array_agg(unit_price_cents ORDER BY id) AS line_unit_price_cents,
                        array_agg(quantity ORDER BY id) AS line_quantity
                 FROM orders.order_line WHERE order_id = %1$s) l,
        LATERAL (SELECT array_agg(status ORDER BY id) AS step_status,
                        array_agg(previous_status ORDER BY id) AS step_previous_status,
                        array_agg(changed_at ORDER BY id) AS step_changed_at,
                        array_agg(event_id ORDER BY id) AS step_event_id,
                        array_agg(job ORDER BY id) AS step_job,
                        array_agg(reason ORDER BY id) AS step_reason
                 FROM orders.order_status_change WHERE order_id = %1$s) s
        """
        .formatted(orderId);
  }

  /** The user's order as they see it; null if it is not theirs or does not exist. */
  public Uni<OrderView> viewOf(String userId, long id) {
    return PooledQuery.execute(pool, ONE_OF_USER, Tuple.of(id, userId)).map(OrderRepository::first);
  }

  /** Any user's order (operator view), with its owner's address; null if there is none. */
  public Uni<OrderView> viewOf(long id) {
    return PooledQuery.execute(pool, ONE_WITH_EMAIL, Tuple.of(id)).map(OrderRepository::first);
  }

  /** Up to {@code limit} of the user's orders older than order {@code before}, newest first. */
  public Uni<List<OrderView>> olderOf(String userId, long before, int limit) {
    return PooledQuery.execute(pool, PAGE_OF_USER, Tuple.of(userId, before, limit))
        .map(
            rows -> {
              List<OrderView> views = new ArrayList<>(rows.size());
              rows.forEach(row -> views.add(view(row)));
              return views;
            });
  }

  /** The lines {@link #linesAndSteps} read, in order. */
  public static List<OrderView.Item> items(Row row) {
    Long[] productIds = row.getArrayOfLongs("line_product_id");
    if (productIds == null) {
      return new ArrayList<>();
    }
    String[] skus = row.getArrayOfStrings("line_sku");
    String[] names = row.getArrayOfStrings("line_name");
    Long[] prices = row.getArrayOfLongs("line_unit_price_cents");
    Integer[] quantities = row.getArrayOfIntegers("line_quantity");
    List<OrderView.Item> items = new ArrayList<>(productIds.length);
    for (int i = 0; i < productIds.length; i++) {
      items.add(new OrderView.Item(productIds[i], skus[i], names[i], prices[i], quantities[i]));
    }
    return items;
  }

  /** The timeline {@link #linesAndSteps} read, oldest first; room for one more step. */
  public static List<OrderView.Step> history(Row row) {
    String[] statuses = row.getArrayOfStrings("step_status");
    if (statuses == null) {
      return new ArrayList<>();
    }
    String[] previous = row.getArrayOfStrings("step_previous_status");
    OffsetDateTime[] times = row.getArrayOfOffsetDateTimes("step_changed_at");
    UUID[] events = row.getArrayOfUUIDs("step_event_id");
    String[] jobs = row.getArrayOfStrings("step_job");
    String[] reasons = row.getArrayOfStrings("step_reason");
    List<OrderView.Step> history = new ArrayList<>(statuses.length + 1);
    for (int i = 0; i < statuses.length; i++) {
      history.add(
          new OrderView.Step(
              OrderStatus.valueOf(statuses[i]),
              previous[i] == null ? null : OrderStatus.valueOf(previous[i]),
              times[i].toInstant(),
              events[i],
              jobs[i] == null ? null : JsonText.read(JSON, jobs[i], JobFate.class),
              reasons[i]));
    }
    return history;
  }

  private static OrderView first(RowSet<Row> rows) {
    RowIterator<Row> found = rows.iterator();
    return found.hasNext() ? view(found.next()) : null;
  }

  private static OrderView view(Row row) {
    return new OrderView(
        row.getLong("id"),
        OrderStatus.valueOf(row.getString("status")),
        row.getLong("total_cents"),
        row.getString("currency"),
        row.getOffsetDateTime("created_at").toInstant(),
        row.getOffsetDateTime("updated_at").toInstant(),
        items(row),
        history(row),
        row.getColumnIndex("email") < 0 ? null : row.getString("email"));
  }
}
