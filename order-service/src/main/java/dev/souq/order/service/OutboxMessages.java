package dev.souq.order.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.souq.order.Amount;
import dev.souq.order.CustomerOrder;
import dev.souq.order.OrderStatus;
import dev.souq.order.OutboxEvent;
import dev.souq.order.config.OrderConfig;
import dev.souq.shared.json.JsonText;
import dev.souq.shared.messages.JobFate;
import dev.souq.shared.messages.OrderUpdate;
import dev.souq.shared.messages.Task;
import dev.souq.shared.messages.TaskQueues;
import dev.souq.shared.tracing.TraceParents;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The outbox rows an order's writes owe: its status events and its jobs, as they will be sent, each
 * with the trace context of the request that made the change (when tracing is on).
 */
@ApplicationScoped
class OutboxMessages {
  private final ObjectMapper json;
  private final Map<String, String> queues;

  OutboxMessages(ObjectMapper json, OrderConfig config) {
    this.json = json;
    this.queues = config.taskQueues();
    queues.forEach(
        (type, queue) -> {
          // A typo here would strand jobs on a list no worker reads: refuse to start instead.
          if (!type.matches("[a-z][a-z0-9_]{0,63}") || !TaskQueues.NAME.matcher(queue).matches()) {
            throw new IllegalStateException(
                "order.task-queues." + type + "=" + queue + " is not a job type and a queue name");
          }
        });
  }

  /**
   * The order_updates event {@code eventId} of the order's move from {@code previous} (null:
   * placed); its timeline step keeps the same id.
   */
  OutboxEvent update(
      CustomerOrder order, OrderStatus previous, Instant at, UUID eventId, String reason) {
    OrderUpdate message =
        new OrderUpdate(
            order.id(),
            order.status().name(),
            at,
            previous == null ? null : previous.name(),
            order.userId(),
            eventId.toString(),
            null,
            reason,
            TraceParents.current());
    return new OutboxEvent(OutboxEvent.Kind.ORDER_UPDATE, JsonText.write(json, message));
  }

  /**
   * The order_updates event {@code eventId} that tells the owner what became of one of the order's
   * jobs: the order's status (from {@code status}, unchanged) and {@code fate}.
   */
  OutboxEvent job(
      long orderId, String userId, String status, JobFate fate, Instant at, UUID eventId) {
    OrderUpdate message =
        new OrderUpdate(orderId, status, at, status, userId, eventId.toString(), fate)
            .traced(TraceParents.current());
    return new OutboxEvent(OutboxEvent.Kind.ORDER_UPDATE, JsonText.write(json, message));
  }

  /** {@code fate} as its timeline step keeps it. */
  String text(JobFate fate) {
    return JsonText.write(json, fate);
  }

  /**
   * A job for the order on its type's queue, keyed {@code order-<id>-<placement>-<type>}: unique
   * for all time.
   */
  OutboxEvent task(CustomerOrder order, String type, String placement, Instant at) {
    return task(order.id(), type, placement, Map.of("order_id", order.id()), at);
  }

  /**
   * The order's process_payment job, carrying the amount owed as written with the order, so the
   * worker can take a fresh payment without reading the order back (contract: {@code tasks}).
   */
  OutboxEvent payment(CustomerOrder order, String placement, Instant at) {
    Map<String, Object> payload =
        Map.of(
            "order_id",
            order.id(),
            "total_cents",
            order.totalCents(),
            "currency",
            order.currency());
    return task(order.id(), "process_payment", placement, payload, at);
  }

  /**
   * The release_stock job that gives the placement's stock back at the catalog (or makes sure it is
   * never taken): sent once per placement, as its key says.
   */
  OutboxEvent release(long orderId, UUID placement, Instant at) {
    String id = placement.toString();
    return task(orderId, "release_stock", id, Map.of("order_id", orderId, "placement", id), at);
  }

  /**
   * The refund_payment job that gives back what a cancelled order was paid: {@code payment} names
   * the charge (null when the move to PAID named none); sent once per order, as its key says.
   */
  OutboxEvent refund(long orderId, UUID placement, Amount paid, String payment, Instant at) {
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("order_id", orderId);
    payload.put("total_cents", paid.cents());
    payload.put("currency", paid.currency());
    if (payment != null) {
      payload.put("payment", payment);
    }
    // Orders placed before stock was reserved (V3) have no placement; an order is cancelled once.
    return task(
        orderId,
        "refund_payment",
        placement == null ? "unplaced" : placement.toString(),
        payload,
        at);
  }

  private OutboxEvent task(
      long orderId, String type, String placement, Map<String, Object> payload, Instant at) {
    Task job =
        Task.of(
                UUID.randomUUID().toString(),
                type,
                json.valueToTree(payload),
                at,
                "order-" + orderId + "-" + placement + "-" + type)
            .on(queues.get(type))
            .traced(TraceParents.current());
    return new OutboxEvent(OutboxEvent.Kind.TASK, JsonText.write(json, job));
  }
}
