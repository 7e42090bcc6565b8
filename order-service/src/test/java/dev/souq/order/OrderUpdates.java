package dev.souq.order;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.souq.shared.messages.OrderUpdate;
import dev.souq.testing.RedisCommand;
import dev.souq.testing.TestStack;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** What the outbox relay has sent, read behind the service's back: the stream and the outbox. */
public final class OrderUpdates {
  private static final ObjectMapper JSON = new ObjectMapper();

  private OrderUpdates() {}

  /** The order's updates in {@code order_updates:stream}, oldest first, from the real Redis. */
  public static List<JsonNode> streamed(long order) {
    List<JsonNode> mine = new ArrayList<>();
    Object all =
        RedisCommand.call(TestStack.get().redisUrl(), "XRANGE", OrderUpdate.STREAM, "-", "+");
    for (Object entry : (List<?>) all) {
      // [id, [field, value, …]]: the message is the value of "data".
      List<?> fields = (List<?>) ((List<?>) entry).get(1);
      JsonNode update = parse((String) fields.get(fields.indexOf("data") + 1));
      if (update.path("order_id").asLong() == order) {
        mine.add(update);
      }
    }
    return mine;
  }

  /** The {@code status} of each update, in order. */
  public static List<String> statuses(List<JsonNode> updates) {
    return updates.stream().map(u -> u.get("status").asText()).toList();
  }

  /** Parses one message; a message that is not JSON fails the test. */
  public static JsonNode parse(String message) {
    try {
      return JSON.readTree(message);
    } catch (JsonProcessingException e) {
      throw new AssertionError("Not JSON: " + message, e);
    }
  }

  /** Waits until the relay has sent (and deleted) every outbox row: nothing more will come. */
  public static void awaitOutboxDrained() {
    await().atMost(Duration.ofSeconds(20)).until(() -> outboxRows() == 0);
  }

  /** Rows waiting in {@code orders.outbox}, counted on the real PostgreSQL. */
  public static long outboxRows() throws java.sql.SQLException {
    try (Connection sql = RealDatabase.connect();
        Statement count = sql.createStatement();
        ResultSet rows = count.executeQuery("SELECT count(*) FROM orders.outbox")) {
      rows.next();
      return rows.getLong(1);
    }
  }
}
