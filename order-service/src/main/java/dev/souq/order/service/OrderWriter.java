package dev.souq.order.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.souq.order.CustomerOrder;
import dev.souq.order.OrderLine;
import dev.souq.order.OrderStatus;
import dev.souq.order.OrderStatusChange;
import dev.souq.order.OrderView;
import dev.souq.order.OutboxEvent;
import dev.souq.order.client.CatalogProduct;
import dev.souq.order.repository.OrderRepository;
import dev.souq.shared.messages.OrderUpdate;
import dev.souq.shared.messages.Task;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Order writes, each one transaction that also writes the messages it causes to the outbox: a
 * change and its event are committed together or not at all.
 */
@ApplicationScoped
class OrderWriter {
  /** A product and how many of it. */
  record Line(CatalogProduct product, int quantity) {}

  private final OrderRepository orders;
  private final ObjectMapper json;

  OrderWriter(OrderRepository orders, ObjectMapper json) {
    this.orders = orders;
    this.json = json;
  }

  /** A PENDING order, its first timeline step, its event and its two jobs. */
  @WithTransaction
  Uni<OrderView> place(String userId, List<Line> lines) {
    Instant now = Instant.now();
    CustomerOrder order = new CustomerOrder();
    order.userId = userId;
    order.status = OrderStatus.PENDING;
    order.currency = lines.get(0).product().currency();
    order.totalCents = lines.stream().mapToLong(l -> l.product().priceCents() * l.quantity()).sum();
    order.createdAt = now;
    order.updatedAt = now;
    return orders
        .persistAndFlush(order)
        .chain(
            () -> {
              List<Object> rows = new ArrayList<>();
              for (Line line : lines) {
                OrderLine row = new OrderLine();
                row.orderId = order.id;
                row.productId = line.product().id();
                row.sku = line.product().sku();
                row.name = line.product().name();
                row.unitPriceCents = line.product().priceCents();
                row.quantity = line.quantity();
                rows.add(row);
              }
              rows.add(change(order, null, now));
              rows.add(update(order, null, now));
              // Order ids start again in a restored or recreated database while Redis keeps the
              // keys of the jobs that ran: a key must name this placement, not the order's number.
              String placement = UUID.randomUUID().toString();
              rows.add(task(order, "process_payment", placement, now));
              rows.add(task(order, "send_order_confirmation", placement, now));
              return Panache.getSession().chain(s -> s.persistAll(rows.toArray()));
            })
        .chain(() -> orders.view(order));
  }

  /**
   * Moves the order to {@code next} under a row lock; null if there is no such order. Returns the
   * order, not its view: reading lines and timeline inside the transaction would hold the row lock
   * and delay the commit (and so the relay's wake-up) by two more round trips.
   *
   * @throws IllegalTransitionException if the machine does not allow it
   */
  @WithTransaction
  Uni<CustomerOrder> changeStatus(long id, OrderStatus next) {
    return orders
        .lockedById(id)
        .chain(
            order -> {
              if (order == null) {
                return Uni.createFrom().nullItem();
              }
              OrderStatus previous = order.status;
              if (!previous.canMoveTo(next)) {
                return Uni.createFrom().failure(new IllegalTransitionException(previous, next));
              }
              Instant now = Instant.now();
              order.status = next;
              order.updatedAt = now;
              return Panache.getSession()
                  .chain(
                      s -> s.persistAll(change(order, previous, now), update(order, previous, now)))
                  .chain(orders::flush)
                  .replaceWith(order);
            });
  }

  private static OrderStatusChange change(CustomerOrder order, OrderStatus previous, Instant at) {
    OrderStatusChange change = new OrderStatusChange();
    change.orderId = order.id;
    change.status = order.status;
    change.previousStatus = previous;
    change.changedAt = at;
    return change;
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
    return OutboxEvent.of(OutboxEvent.Kind.ORDER_UPDATE, encode(message));
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
    return OutboxEvent.of(OutboxEvent.Kind.TASK, encode(job));
  }

  private String encode(Object message) {
    try {
      return json.writeValueAsString(message);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
