package dev.souq.order;

import java.util.Map;
import java.util.Set;

/** The order status machine: PENDING → PAID → SHIPPED → DELIVERED; PENDING|PAID → CANCELLED. */
public enum OrderStatus {
  PENDING,
  PAID,
  SHIPPED,
  DELIVERED,
  CANCELLED;

  private static final Map<OrderStatus, Set<OrderStatus>> NEXT =
      Map.of(
          PENDING, Set.of(PAID, CANCELLED),
          PAID, Set.of(SHIPPED, CANCELLED),
          SHIPPED, Set.of(DELIVERED),
          DELIVERED, Set.of(),
          CANCELLED, Set.of());

  /** Whether the machine allows moving from this status to {@code next}. */
  public boolean canMoveTo(OrderStatus next) {
    return NEXT.get(this).contains(next);
  }
}
