package dev.souq.worker.handlers;

import com.fasterxml.jackson.databind.JsonNode;
import dev.souq.shared.messages.Task;
import dev.souq.worker.handler.PermanentFailure;

/** The order a shop job is about: {@code payload.order_id}, a positive number. */
final class OrderIds {
  private OrderIds() {}

  static long of(Task task) {
    JsonNode id = task.payload() == null ? null : task.payload().get("order_id");
    if (id == null || !id.canConvertToLong() || id.asLong() <= 0) {
      throw new PermanentFailure("payload.order_id must be a positive number");
    }
    return id.asLong();
  }
}
