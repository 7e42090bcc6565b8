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

/** A message owed to Redis, written in the transaction of the change that causes it. */
@Entity
@Table(name = "outbox")
public class OutboxEvent extends PanacheEntityBase {
  /** Where the relay sends it. */
  public enum Kind {
    /** PUBLISH on order_updates and XADD to order_updates:stream. */
    ORDER_UPDATE,
    /** LPUSH on tasks. */
    TASK
  }

  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  public Long id;

  @Enumerated(EnumType.STRING)
  public Kind kind;

  /** The message JSON, exactly as it will be sent. */
  @Column(name = "payload")
  public String payload;

  public static OutboxEvent of(Kind kind, String payload) {
    OutboxEvent event = new OutboxEvent();
    event.kind = kind;
    event.payload = payload;
    return event;
  }
}
