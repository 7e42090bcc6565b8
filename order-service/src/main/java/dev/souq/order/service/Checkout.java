package dev.souq.order.service;

import dev.souq.order.OrderView;
import dev.souq.order.client.CatalogGateway;
import dev.souq.order.client.CatalogUnavailableException;
import dev.souq.order.client.OutOfStockException;
import dev.souq.order.client.ReservedLine;
import dev.souq.order.client.UnorderableLinesException;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;

/**
 * Places an order whose stock the catalog holds (README "Stock"): the order is written RESERVING,
 * its lines are reserved under its placement, which also prices them, and only then is it priced,
 * confirmed and announced. Each way a step can fail leaves stock right:
 *
 * <ul>
 *   <li>the catalog refuses (out of stock, unknown product, mixed currencies): nothing is held; the
 *       order is deleted, 409 or 422;
 *   <li>the catalog's answer is lost or never comes: the order is abandoned with a release_stock
 *       job, which releases the placement or makes sure it never takes stock, 503;
 *   <li>this process dies or PostgreSQL fails after the reservation: the order stays RESERVING and
 *       {@link StockReconciler} abandons it the same way once it is older than the timeout.
 * </ul>
 *
 * A shopper who hangs up does not stop a placement ({@link Uncancellable}): stopped after the
 * RESERVING insert, it would leave the order to the reconciler and its stock held meanwhile.
 */
@ApplicationScoped
class Checkout {
  private final OrderWriter writer;
  private final CatalogGateway catalog;

  Checkout(OrderWriter writer, CatalogGateway catalog) {
    this.writer = writer;
    this.catalog = catalog;
  }

  /** Places {@code quantities} (product id → how many, in the order of the lines) for the user. */
  Uni<OrderView> place(String userId, Map<Long, Integer> quantities) {
    return Uncancellable.of(
        writer
            .begin(userId)
            .chain(
                order ->
                    catalog
                        .reserve(order.placement(), order.id(), quantities)
                        .onItemOrFailure()
                        .transformToUni(
                            (lines, failure) -> settle(order, quantities, lines, failure))));
  }

  private Uni<OrderView> settle(
      OrderWriter.Reserving order,
      Map<Long, Integer> quantities,
      List<ReservedLine> lines,
      Throwable failure) {
    if (failure == null && !holdsEvery(lines, quantities)) {
      // A catalog that answers without the lines it holds (one older than this service during a
      // rollout): the order cannot be priced, and its stock must go back.
      Log.warnf("Order %d: the catalog's reservation did not answer its lines", order.id());
      failure = new IllegalStateException("reservation without its lines");
    }
    if (failure == null) {
      return writer
          .confirm(order, lines)
          .map(
              confirmed -> {
                if (confirmed == null) {
                  // Given up by the reconciler while the catalog answered: its stock goes back.
                  throw new CatalogUnavailableException();
                }
                return confirmed;
              });
    }
    if (failure instanceof UnorderableLinesException refused) {
      return discardAndFail(order, new InvalidOrderException(refused.getMessage()));
    }
    if (failure instanceof OutOfStockException) {
      return discardAndFail(order, failure);
    }
    return writer
        .abandon(order)
        .onFailure()
        .invoke(
            f ->
                Log.warnf(
                    "Order %d stays RESERVING until the reconciler gives it up: %s",
                    order.id(), f.toString()))
        .onFailure()
        .recoverWithNull()
        .chain(() -> fail(new CatalogUnavailableException()));
  }

  /** True if the answer has one line per product ordered, with the quantity ordered. */
  private static boolean holdsEvery(List<ReservedLine> lines, Map<Long, Integer> quantities) {
    return lines.size() == quantities.size()
        && lines.stream()
            .allMatch(l -> Integer.valueOf(l.quantity()).equals(quantities.get(l.productId())));
  }

  /** A refusal holds nothing: the order is deleted and the shopper told why. */
  private Uni<OrderView> discardAndFail(OrderWriter.Reserving order, Throwable reason) {
    return writer.discard(order).onFailure().recoverWithNull().chain(() -> fail(reason));
  }

  private static Uni<OrderView> fail(Throwable failure) {
    return Uni.createFrom().failure(failure);
  }
}
