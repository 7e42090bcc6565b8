package dev.souq.order.service;

import dev.souq.order.OrderView;
import dev.souq.order.client.CatalogGateway;
import dev.souq.order.client.CatalogUnavailableException;
import dev.souq.order.client.OutOfStockException;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Places an order whose stock the catalog holds (README "Stock"): the order is written RESERVING,
 * its lines are reserved under its placement, and only then is it confirmed and announced. Each way
 * a step can fail leaves stock right:
 *
 * <ul>
 *   <li>the catalog refuses (out of stock): nothing is held; the order is deleted, 409;
 *   <li>the catalog's answer is lost or never comes: the order is abandoned with a release_stock
 *       job, which releases the placement or makes sure it never takes stock, 503;
 *   <li>this process dies or PostgreSQL fails after the reservation: the order stays RESERVING and
 *       {@link StockReconciler} abandons it the same way once it is older than the timeout.
 * </ul>
 */
@ApplicationScoped
class Checkout {
  private final OrderWriter writer;
  private final CatalogGateway catalog;

  Checkout(OrderWriter writer, CatalogGateway catalog) {
    this.writer = writer;
    this.catalog = catalog;
  }

  Uni<OrderView> place(String userId, List<OrderWriter.Line> lines) {
    Map<Long, Integer> quantities = new LinkedHashMap<>();
    lines.forEach(l -> quantities.put(l.product().id(), l.quantity()));
    return writer
        .begin(userId, lines)
        .chain(
            order ->
                catalog
                    .reserve(order.placement(), order.view().id(), quantities)
                    .onItemOrFailure()
                    .transformToUni((reserved, failure) -> settle(order, failure)));
  }

  private Uni<OrderView> settle(OrderWriter.Reserving order, Throwable failure) {
    if (failure == null) {
      return writer
          .confirm(order)
          .map(
              confirmed -> {
                if (!confirmed) {
                  // Given up by the reconciler while the catalog answered: its stock goes back.
                  throw new CatalogUnavailableException();
                }
                return order.view();
              });
    }
    if (failure instanceof OutOfStockException) {
      return writer.discard(order).onFailure().recoverWithNull().chain(() -> fail(failure));
    }
    return writer
        .abandon(order)
        .onFailure()
        .invoke(
            f ->
                Log.warnf(
                    "Order %d stays RESERVING until the reconciler gives it up: %s",
                    order.view().id(), f.toString()))
        .onFailure()
        .recoverWithNull()
        .chain(() -> fail(new CatalogUnavailableException()));
  }

  private static Uni<OrderView> fail(Throwable failure) {
    return Uni.createFrom().failure(failure);
  }
}
