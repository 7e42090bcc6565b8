package dev.souq.order.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.souq.shared.messages.OrderUpdate;
import dev.souq.shared.messages.Task;
import dev.souq.testing.SchemaCheck;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The traceparent a message carries when tracing is on: valid against the schemas, refused by them
 * when malformed, and invisible to a consumer that knows only the seed's fields.
 */
class TracedMessagesTest {
  private static final String TRACEPARENT =
      "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
  private static final Instant AT = Instant.parse("2026-11-26T15:04:05Z");
  private final ObjectMapper json =
      new ObjectMapper()
          .findAndRegisterModules()
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

  /** What a consumer written against the seed's contract reads: its three fields, no more. */
  record SeedUpdate(long orderId, String status, Instant timestamp) {}

  @Test
  void aTracedOrderUpdateMatchesTheSchemaAndASeedConsumerStillReadsIt() throws Exception {
    String message =
        json.writeValueAsString(
            new OrderUpdate(42, "PAID", AT, "PENDING", "u_1", "e1").traced(TRACEPARENT));
    assertTrue(message.contains("\"traceparent\":\"" + TRACEPARENT + "\""), message);
    SchemaCheck.assertValid(OrderUpdate.SCHEMA, message);

    SeedUpdate seed =
        new ObjectMapper()
            .findAndRegisterModules()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            // As the contract asks of every consumer.
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .readValue(message, SeedUpdate.class);
    assertEquals(new SeedUpdate(42, "PAID", AT), seed);
  }

  @Test
  void aTracedJobMatchesTheSchema() throws Exception {
    Task job =
        Task.of("j1", "process_payment", json.createObjectNode(), AT, "k").traced(TRACEPARENT);
    SchemaCheck.assertValid(Task.SCHEMA, json.writeValueAsString(job));
  }

  @Test
  void theSchemasRefuseAMalformedTraceparent() throws Exception {
    String message =
        json.writeValueAsString(
            new OrderUpdate(42, "PAID", AT, "PENDING", "u_1", "e1").traced("00-abc-01"));
    assertThrows(AssertionError.class, () -> SchemaCheck.assertValid(OrderUpdate.SCHEMA, message));
  }

  @Test
  void untracedMessagesLookAsBefore() throws Exception {
    String message =
        json.writeValueAsString(new OrderUpdate(42, "PAID", AT, "PENDING", "u_1", "e1"));
    assertTrue(!message.contains("traceparent"), message);
  }
}
