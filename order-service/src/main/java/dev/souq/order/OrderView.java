package dev.souq.order;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.souq.shared.messages.JobFate;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * An order as its owner sees it, with its lines and status timeline. The operator's view also names
 * the owner's account address ({@code email}; absent for a guest's order), where worker-service
 * mails the order's confirmation.
 */
public record OrderView(
    long id,
    OrderStatus status,
    long totalCents,
    String currency,
    Instant createdAt,
    Instant updatedAt,
    List<Item> items,
    List<Step> history,
    @JsonInclude(JsonInclude.Include.NON_NULL) String email) {

  /** One line. */
  public record Item(long productId, String sku, String name, long unitPriceCents, int quantity) {}

  /**
   * One status change (or, with {@code job}, what became of one of the order's jobs, the status
   * unchanged), and the {@code event_id} of the order_updates event it caused (null for a step
   * written before steps kept it): a client that has the step knows that event when it comes. A
   * cancel's {@code reason}, as its event has it.
   */
  public record Step(
      OrderStatus status,
      OrderStatus previousStatus,
      Instant at,
      UUID eventId,
      @JsonInclude(JsonInclude.Include.NON_NULL) JobFate job,
      @JsonInclude(JsonInclude.Include.NON_NULL) String reason) {

    /** A status change. */
    public Step(OrderStatus status, OrderStatus previousStatus, Instant at, UUID eventId) {
      this(status, previousStatus, at, eventId, null, null);
    }
  }

  /** The order's view from its row's fields, its lines and its timeline. */
  public static OrderView of(CustomerOrder order, List<Item> items, List<Step> history) {
    return new OrderView(
        order.id(),
        order.status(),
        order.totalCents(),
        order.currency(),
        order.createdAt(),
        order.updatedAt(),
        items,
        history,
        null);
  }
}
