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
 * The release_stock jobs the outbox relay pushed onto tasks (no worker takes them in
 * order-service's tests). Only those queued since a time: a database made again hands out the same
 * order ids while Redis keeps the jobs of the old ones.
 */
public final class ReleaseJobs {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ReleaseJobs() {}

  /** The jobs queued since {@code since} whose payload matches. */
  public static List<JsonNode> since(Instant since, Predicate<JsonNode> payload) throws Exception {
    List<JsonNode> found = new ArrayList<>();
    for (String raw : RedisCommand.list(TestStack.get().redisUrl(), "LRANGE", "tasks", "0", "-1")) {
      JsonNode job = JSON.readTree(raw);
      if ("release_stock".equals(job.path("type").asText())
          && Instant.parse(job.path("enqueued_at").asText()).isAfter(since)
          && payload.test(job.path("payload"))) {
        found.add(job);
      }
    }
    return found;
  }

  /** Those for the order. */
  public static List<JsonNode> of(long order, Instant since) throws Exception {
    return since(since, payload -> payload.path("order_id").asLong() == order);
  }
}
