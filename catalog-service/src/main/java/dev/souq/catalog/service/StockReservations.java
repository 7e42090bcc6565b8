package dev.souq.catalog.service;

import dev.souq.catalog.repository.StockRows;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Stock held for order placements (README "Stock"): reserved all or nothing, idempotently per
 * placement; released at most once. PostgreSQL is the truth: product.stock is what is left, and the
 * cache is invalidated after each commit like after any other product write, so cached stock is
 * never staler than the rest of a product.
 */
@ApplicationScoped
public class StockReservations {
  /** One line of an order: a product and how many of it. */
  public record Line(long productId, int quantity) {}

  private final StockRows rows;
  private final CacheInvalidations invalidations;
  private final Duration retention;

  StockReservations(
      StockRows rows,
      CacheInvalidations invalidations,
      @ConfigProperty(name = "catalog.stock.released-retention", defaultValue = "7d")
          Duration retention) {
    this.rows = rows;
    this.invalidations = invalidations;
    this.retention = retention;
  }

  /**
   * What a reservation holds: whether it was made by this call (false: a retry of the placement)
   * and its lines, each product as it was when its stock was taken, in the order given.
   */
  public record Reserved(boolean now, List<StockRows.Sold> lines) {}

  /**
   * Takes the lines' stock for {@code placement}; {@code lines} name each product once.
   *
   * @throws OutOfStockException if a line wants more than is left (nothing is taken)
   * @throws UnorderableLinesException if a product does not exist or the products do not share a
   *     currency (nothing is taken)
   * @throws ReleasedPlacementException if the placement was released first
   */
  public Uni<Reserved> reserve(UUID placement, long orderId, List<Line> lines) {
    Long[] ids = lines.stream().map(Line::productId).toArray(Long[]::new);
    Integer[] quantities = lines.stream().map(Line::quantity).toArray(Integer[]::new);
    return rows.reserve(placement, orderId, ids, quantities)
        .call(result -> invalidations.apply(result.owed()))
        .map(
            result ->
                switch (result.outcome()) {
                  case RESERVED -> new Reserved(true, result.sold());
                  case HELD -> new Reserved(false, result.sold());
                  case SHORT ->
                      throw new OutOfStockException(result.shortProduct(), result.shortStock());
                  case UNKNOWN ->
                      throw new UnorderableLinesException(
                          "Unknown product " + result.shortProduct());
                  case MIXED ->
                      throw new UnorderableLinesException(
                          "All items of an order must share a currency");
                  default -> throw new ReleasedPlacementException(placement);
                });
  }

  /**
   * Gives the placement's stock back if it holds any, and makes sure it never will otherwise. True
   * if stock was given back by this call.
   */
  public Uni<Boolean> release(UUID placement) {
    return rows.release(placement)
        .call(result -> invalidations.apply(result.owed()))
        .map(result -> result.outcome() == StockRows.Outcome.RELEASED);
  }

  /**
   * Hourly on every replica (the DELETE is harmless twice): a released placement is kept for {@code
   * catalog.stock.released-retention}, far longer than any reservation of it can still be on its
   * way (order-service gives up on a call after seconds).
   */
  @Scheduled(every = "1h", delayed = "1m")
  Uni<Void> purgeReleased() {
    return rows.purgeReleased(Instant.now().minus(retention))
        .invoke(n -> Log.debugf("Purged %d released stock placements", n))
        .onFailure()
        .invoke(f -> Log.warnf("Purging released stock placements failed: %s", f.toString()))
        .onFailure()
        .recoverWithNull()
        .replaceWithVoid();
  }
}
