package dev.souq.order;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** One step of an order's timeline. */
@Entity
@Table(name = "order_status_change")
public class OrderStatusChange extends PanacheEntityBase {
  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  public Long id;

  @Column(name = "order_id")
  public long orderId;

  @Enumerated(EnumType.STRING)
  public OrderStatus status;

  @Enumerated(EnumType.STRING)
  @Column(name = "previous_status")
  public OrderStatus previousStatus;

  @Column(name = "changed_at")
  public Instant changedAt;
}
