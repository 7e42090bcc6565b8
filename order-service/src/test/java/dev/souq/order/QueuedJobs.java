package dev.souq.order;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.souq.testing.RedisCommand;
import dev.souq.testing.TestStack;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * The jobs of a type (release_stock, refund_payment) the outbox relay pushed onto tasks (no worker
 * takes them in order-service's tests). Only those queued since a time: a database made again hands
 * out the same order ids while Redis keeps the jobs of the old ones.
 */
public final class QueuedJobs {
  /** What a cancel that holds stock owes. */
  public static final String RELEASE = "release_stock";

  /** What a cancel of a paid order owes. */
  public static final String REFUND = "refund_payment";

  private static final ObjectMapper JSON = new ObjectMapper();

  private QueuedJobs() {}

  /** The jobs of {@code type} queued since {@code since} whose payload matches. */
  public static List<JsonNode> since(String type, Instant since, Predicate<JsonNode> payload)
      throws Exception {
    List<JsonNode> found = new ArrayList<>();
    for (String raw : RedisCommand.list(TestStack.get().redisUrl(), "LRANGE", "tasks", "0", "-1")) {
      JsonNode job = JSON.readTree(raw);
      if (type.equals(job.path("type").asText())
          && Instant.parse(job.path("enqueued_at").asText()).isAfter(since)
          && payload.test(job.path("payload"))) {
        found.add(job);
      }
    }
    return found;
  }

  /** Those for the order. */
  public static List<JsonNode> of(String type, long order, Instant since) throws Exception {
    return since(type, since, payload -> payload.path("order_id").asLong() == order);
  }
}
