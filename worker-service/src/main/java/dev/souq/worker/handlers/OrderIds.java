package dev.souq.worker.handlers;

import com.fasterxml.jackson.databind.JsonNode;
import dev.souq.shared.messages.Task;
import dev.souq.worker.handler.PermanentFailure;

/** The order a shop job is about: {@code payload.order_id}, a positive number. */
public final class OrderIds {
  private OrderIds() {}

  /** The job's order; a job without one cannot run (permanent failure). */
  static long of(Task task) {
    long id = find(task);
    if (id <= 0) {
      throw new PermanentFailure("payload.order_id must be a positive number");
    }
    return id;
  }

  /** The job's order, or 0 if it names none (any job, e.g. to report what became of it). */
  public static long find(Task task) {
    JsonNode id = task == null || task.payload() == null ? null : task.payload().get("order_id");
    return id != null && id.canConvertToLong() && id.asLong() > 0 ? id.asLong() : 0;
  }
}
