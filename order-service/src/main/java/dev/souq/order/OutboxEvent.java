package dev.souq.order;

/**
 * A message owed to Redis, written to the outbox in the transaction of the change that causes it.
 *
 * @param payload the message JSON, exactly as it will be sent
 */
public record OutboxEvent(Kind kind, String payload) {
  /** Where the relay sends it. */
  public enum Kind {
    /** PUBLISH on order_updates and XADD to order_updates:stream. */
    ORDER_UPDATE,
    /** LPUSH on tasks. */
    TASK
  }
}
