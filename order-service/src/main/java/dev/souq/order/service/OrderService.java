package dev.souq.order.service;

import dev.souq.order.Amount;
import dev.souq.order.OrderStatus;
import dev.souq.order.OrderView;
import dev.souq.order.repository.OrderRepository;
import dev.souq.shared.messages.JobFate;
import dev.souq.shared.session.Session;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Places orders at the catalog's prices (never the client's) with their stock reserved, reads a
 * user's own orders, and moves orders through the status machine; the outbox relay is woken by each
 * commit.
 */
@ApplicationScoped
public class OrderService {
  private final Checkout checkout;
  private final StatusWriter statuses;
  private final OrderRepository orders;
  private final JobFateWriter jobs;

  OrderService(
      Checkout checkout, StatusWriter statuses, OrderRepository orders, JobFateWriter jobs) {
    this.checkout = checkout;
    this.statuses = statuses;
    this.orders = orders;
    this.jobs = jobs;
  }

  /**
   * Puts what became of one of the order's jobs on its timeline, and so before its owner's
   * browsers; false if there is no such order.
   */
  public Uni<Boolean> reportJob(long id, JobFate fate) {
    return jobs.record(id, fate);
  }

  /**
   * Places an order for {@code userId} once its stock is reserved; nothing is kept unless every
   * product is known and has enough stock.
   *
   * @throws dev.souq.order.client.OutOfStockException if a line wants more than is left
   */
  public Uni<OrderView> place(String userId, List<Session.CartItem> items) {
    if (items.isEmpty()) {
      return Uni.createFrom().failure(new InvalidOrderException("The order has no items"));
    }
    // The same product twice becomes one line.
    Map<Long, Integer> quantities = new LinkedHashMap<>();
    items.forEach(i -> quantities.merge(i.productId(), i.quantity(), Integer::sum));
    if (quantities.values().stream().anyMatch(q -> q > 999)) {
      return Uni.createFrom().failure(new InvalidOrderException("Quantity too large"));
    }
    return checkout.place(userId, quantities);
  }

  /** The user's own order; null if it does not exist or belongs to someone else. */
  public Uni<OrderView> get(String userId, long id) {
    return orders.viewOf(userId, id);
  }

  /** Operator: any order; null if there is none. */
  public Uni<OrderView> get(long id) {
    return orders.viewOf(id);
  }

  /**
   * Up to {@code limit} of the user's orders older than order {@code before} (null: the newest),
   * newest first, and where the next page starts if there is one.
   */
  public Uni<OrderPage> mine(String userId, Long before, int limit) {
    // One more than asked tells whether another page follows, without a count.
    return orders
        .olderOf(userId, before == null ? Long.MAX_VALUE : before, limit + 1)
        .map(
            found ->
                found.size() > limit
                    ? new OrderPage(found.subList(0, limit), found.get(limit - 1).id())
                    : new OrderPage(found, null));
  }

  /** A page of a user's orders; {@code next} is the {@code before} of the next one, else null. */
  public record OrderPage(List<OrderView> orders, Long next) {}

  /**
   * Operator: moves the order and answers its view, as of the commit; null if there is none. With
   * {@code charged} (a payer's move; null for none), only if that is the order's total; with {@code
   * payment} (the charge; null for none), only if its payer has not voided it. The commit wakes the
   * relay (StatusWriter).
   */
  public Uni<OrderView> changeStatus(long id, OrderStatus next, Amount charged, String payment) {
    return statuses.changeStatus(id, next, charged, payment);
  }

  /**
   * The shopper cancels their own PENDING order; null if they have no such order. The browser hears
   * of it as of any status change, through the outbox.
   *
   * @throws IllegalTransitionException if the order is no longer PENDING
   */
  public Uni<OrderView> cancel(String userId, long id) {
    return statuses.cancel(userId, id);
  }
}
