package dev.souq.catalog.repository;

import dev.souq.catalog.CacheInvalidation;
import dev.souq.shared.persistence.PooledQuery;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
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
import java.util.UUID;

/**
 * Stock reservations through the functions of migrations V4 and V6: each call is one statement, so
 * one transaction in one round trip, whatever the number of lines.
 */
@ApplicationScoped
public class StockRows {
  /** What a reserve or release call did; see V4 and V5/V6 (reserve_stock) for each outcome. */
  public enum Outcome {
    RESERVED,
    HELD,
    RELEASED,
    SHORT,
    UNKNOWN,
    MIXED,
    ALREADY,
    TOMBSTONE
  }

  /** A line a placement holds: its product as it was when the stock was taken, and how many. */
  public record Sold(
      long productId, String sku, String name, long priceCents, String currency, int quantity) {}

  /** A cache invalidation the call wrote: its row id and its product. */
  public record Owed(long id, long productId) {
    /** The same, for a row Hibernate wrote or read. */
    public static Owed of(CacheInvalidation row) {
      return new Owed(row.id, row.productId);
    }
  }

  /**
   * The answer of a call: for SHORT the product that lacks stock and what is left of it, for
   * UNKNOWN the product that does not exist; for RESERVED and HELD the lines held, in the order
   * given.
   */
  public record Result(
      Outcome outcome, long shortProduct, int shortStock, List<Owed> owed, List<Sold> sold) {}

  private static final String RESERVE = "SELECT * FROM catalog.reserve_stock($1, $2, $3, $4)";
  private static final String RELEASE = "SELECT * FROM catalog.release_stock($1)";
  private static final String PURGE =
      "DELETE FROM catalog.stock_reservation WHERE state = 'RELEASED' AND released_at < $1";

  /**
   * How long a reservation may wait for its products' rows, all waits together: within
   * order-service's 3 s per attempt (CatalogGateway), so that a rush is answered "product busy",
   * which its circuit breaker does not count, rather than timing out, which it does.
   */
  static final Duration RESERVE_BUDGET = Duration.ofSeconds(2);

  private final Pool pool;
  private final Vertx vertx;

  StockRows(Pool pool, Vertx vertx) {
    this.pool = pool;
    this.vertx = vertx;
  }

  /**
   * Reserves every line or none; {@code productIds} must not repeat. Fails with {@link
   * RowsBusyException} (nothing reserved) if it waited for its products' rows past {@link
   * #RESERVE_BUDGET}; cancelled there for another reason (PostgreSQL too slow), with the cancel's
   * SQLSTATE 57014, an outage.
   */
  public Uni<Result> reserve(
      UUID placement, long orderId, Long[] productIds, Integer[] quantities) {
    Tuple parameters =
        Tuple.tuple()
            .addUUID(placement)
            .addLong(orderId)
            .addArrayOfLong(productIds)
            .addArrayOfInteger(quantities);
    return CancelAfter.run(
            vertx,
            pool,
            RESERVE_BUDGET,
            connection -> connection.preparedQuery(RESERVE).execute(parameters))
        .map(rows -> result(rows.iterator().next(), true))
        .onFailure(CancelAfter.CancelledException.class)
        .transform(
            failure ->
                lockingRows((CancelAfter.CancelledException) failure)
                    ? new RowsBusyException(failure)
                    : failure.getCause());
  }

  /**
   * Whether the cancel came while reserve_stock waited for its products' rows: its only PERFORM is
   * the SELECT … FOR UPDATE that takes them, and PL/pgSQL names the kind of statement an error came
   * from, untranslated whatever lc_messages is ("PL/pgSQL function … line 40 at PERFORM").
   */
  private static boolean lockingRows(CancelAfter.CancelledException cancelled) {
    return cancelled.where().contains("PERFORM");
  }

  /** A reservation waited for its products' rows past {@link #RESERVE_BUDGET}: a rush on them. */
  public static final class RowsBusyException extends RuntimeException {
    RowsBusyException(Throwable cause) {
      super("The products' rows stayed locked past " + RESERVE_BUDGET.toMillis() + " ms", cause);
    }
  }

  /** Gives the placement's stock back, at most once. */
  public Uni<Result> release(UUID placement) {
    return PooledQuery.execute(pool, RELEASE, Tuple.of(placement))
        .map(rows -> result(rows.iterator().next(), false));
  }

  /** Deletes released placements and tombstones older than {@code before}; how many. */
  public Uni<Integer> purgeReleased(Instant before) {
    return PooledQuery.execute(
            pool, PURGE, Tuple.of(OffsetDateTime.ofInstant(before, ZoneOffset.UTC)))
        .map(rows -> rows.rowCount());
  }

  private static Result result(Row row, boolean reserve) {
    Outcome outcome = Outcome.valueOf(row.getString("outcome"));
    List<Owed> owed = new ArrayList<>();
    Long[] ids = row.getArrayOfLongs("owed_ids");
    Long[] products = row.getArrayOfLongs("owed_products");
    for (int i = 0; ids != null && i < ids.length; i++) {
      owed.add(new Owed(ids[i], products[i]));
    }
    if (!reserve) {
      return new Result(outcome, 0, 0, owed, List.of());
    }
    if (outcome == Outcome.SHORT || outcome == Outcome.UNKNOWN) {
      return new Result(
          outcome, row.getLong("short_product"), row.getInteger("short_stock"), owed, List.of());
    }
    return new Result(outcome, 0, 0, owed, sold(row));
  }

  private static List<Sold> sold(Row row) {
    Long[] ids = row.getArrayOfLongs("line_ids");
    if (ids == null) {
      return List.of();
    }
    String[] skus = row.getArrayOfStrings("line_skus");
    String[] names = row.getArrayOfStrings("line_names");
    Long[] prices = row.getArrayOfLongs("line_prices");
    String[] currencies = row.getArrayOfStrings("line_currencies");
    Integer[] quantities = row.getArrayOfIntegers("line_quantities");
    List<Sold> sold = new ArrayList<>(ids.length);
    for (int i = 0; i < ids.length; i++) {
      sold.add(new Sold(ids[i], skus[i], names[i], prices[i], currencies[i], quantities[i]));
    }
    return sold;
  }
}
