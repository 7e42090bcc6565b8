package dev.souq.worker.queue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.souq.shared.messages.Task;
import dev.souq.worker.config.WorkerConfig;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * A periodic job as configured ({@code worker.schedules."<name>"}). Each tick (a multiple of {@code
 * every} since the epoch) is one job with the idempotency key {@code schedule-<name>-<tick epoch
 * ms>}; a run by hand has {@code schedule-<name>-run-<job id>}. Its jobs carry {@code
 * payload.schedule}, which is how their outcome finds the schedule again.
 */
public record Schedule(
    String name, String type, Duration every, ObjectNode payload, boolean enabled) {

  /** A schedule's name: a task type's rule, so that the name is a valid default type. */
  public static final Pattern NAME = JobReader.TYPE;

  private static final Duration SHORTEST = Duration.ofSeconds(1);

  /** The schedule {@code name} as configured; fails naming the setting that is wrong. */
  public static Schedule of(String name, WorkerConfig.Schedule config, ObjectMapper json) {
    String setting = "worker.schedules.\"" + name + "\"";
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          setting
              + ": a name must match "
              + NAME.pattern()
              + (name.contains(".")
                  ? " (an env var names a schedule without double underscores:"
                      + " WORKER_SCHEDULES_CANCEL_UNPAID_ORDERS_EVERY)"
                  : ""));
    }
    String type = config.type().orElse(name);
    if (!JobReader.TYPE.matcher(type).matches()) {
      throw new IllegalArgumentException(setting + ".type must match " + JobReader.TYPE.pattern());
    }
    if (config.every().compareTo(SHORTEST) < 0) {
      throw new IllegalArgumentException(setting + ".every must be at least " + SHORTEST);
    }
    return new Schedule(
        name, type, config.every(), payload(setting, config, json), config.enabled());
  }

  private static ObjectNode payload(
      String setting, WorkerConfig.Schedule config, ObjectMapper json) {
    if (config.payload().isEmpty()) {
      return JsonNodeFactory.instance.objectNode();
    }
    try {
      JsonNode payload = json.readTree(config.payload().get());
      if (payload instanceof ObjectNode object) {
        return object;
      }
    } catch (JsonProcessingException e) {
      // reported below
    }
    throw new IllegalArgumentException(setting + ".payload must be a JSON object");
  }

  /** The payload of its jobs: the configured one with {@code schedule} set to the name. */
  public ObjectNode jobPayload() {
    return payload.deepCopy().put("schedule", name);
  }

  /** The idempotency key of the tick at {@code tick} epoch milliseconds. */
  public String tickKey(long tick) {
    return tickKeyPrefix() + tick;
  }

  String tickKeyPrefix() {
    return "schedule-" + name + "-";
  }

  /** The idempotency key of a run by hand: its own, never a tick's. */
  public String runKey(String jobId) {
    return "schedule-" + name + "-run-" + jobId;
  }

  /** The schedule a job says it belongs to ({@code payload.schedule}), or null. */
  public static String nameOf(Task task) {
    JsonNode name = task == null || task.payload() == null ? null : task.payload().get("schedule");
    return name != null && name.isTextual() && NAME.matcher(name.asText()).matches()
        ? name.asText()
        : null;
  }
}
