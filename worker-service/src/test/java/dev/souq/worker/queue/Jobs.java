package dev.souq.worker.queue;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.souq.shared.messages.Task;
import io.quarkus.redis.datasource.RedisDataSource;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Test side of the queue: push jobs as producers do, read dead letters as Redis holds them. */
public final class Jobs {
  private static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules();

  private Jobs() {}

  /** A unique name for a test's jobs. */
  public static String name(String prefix) {
    return prefix + "-" + UUID.randomUUID();
  }

  /** An envelope of {@code type} with {@code payload} fields. */
  public static Task task(String type, Map<String, Object> payload, String idempotencyKey) {
    return task(type, payload, idempotencyKey, Instant.now());
  }

  /** The same, enqueued at {@code enqueuedAt}. */
  public static Task task(
      String type, Map<String, Object> payload, String idempotencyKey, Instant enqueuedAt) {
    ObjectNode node = JSON.valueToTree(payload);
    return Task.of(UUID.randomUUID().toString(), type, node, enqueuedAt, idempotencyKey);
  }

  public static String json(Object value) {
    try {
      return new ObjectMapper()
          .findAndRegisterModules()
          .disable(com.fasterxml.jackson.databind.SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .writeValueAsString(value);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** LPUSH, as every producer does. */
  public static void push(RedisDataSource redis, String... raw) {
    redis.list(String.class).lpush(TaskKeys.QUEUE, raw);
  }

  public static void push(RedisDataSource redis, Task task) {
    push(redis, json(task));
  }

  /** Waits until {@code task} has finished: its idempotency key reads done with its id. */
  public static void awaitDone(RedisDataSource redis, Task task, Duration atMost) {
    TaskKeys keys = io.quarkus.arc.Arc.container().instance(TaskKeys.class).get();
    String key = keys.idempotency(task.idempotencyKey());
    await()
        .atMost(atMost)
        .until(() -> ("done:" + task.id()).equals(redis.value(String.class).get(key)));
  }

  /** The dead letters whose stored job contains {@code marker}, parsed. */
  public static List<Map<String, Object>> deadLettersWith(RedisDataSource redis, String marker) {
    String dead = io.quarkus.arc.Arc.container().instance(TaskKeys.class).get().dead();
    return redis.list(String.class).lrange(dead, 0, -1).stream()
        .filter(entry -> entry.contains(marker))
        .map(Jobs::map)
        .toList();
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(String json) {
    try {
      return JSON.readValue(json, Map.class);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static ObjectNode empty() {
    return JsonNodeFactory.instance.objectNode();
  }
}
