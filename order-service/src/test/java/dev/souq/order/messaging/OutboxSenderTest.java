package dev.souq.order.messaging;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.souq.order.config.OrderConfig;
import dev.souq.order.config.OrderConfigs;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A replica-ack wait that would use up a batch's 10 s, or a batch longer than one Redis pipeline
 * (whose parts would each wait), is refused when the sender is made, which OutboxRelay's start-up
 * observer makes happen at start-up.
 */
class OutboxSenderTest {
  private static OutboxSender sender(String ackTimeout) {
    return sender(Map.of("order.outbox.replica-ack-timeout", ackTimeout));
  }

  private static OutboxSender sender(Map<String, String> settings) {
    OrderConfig config = OrderConfigs.read(settings);
    return new OutboxSender(null, config, new ObjectMapper(), null, new SimpleMeterRegistry());
  }

  @Test
  void refusesAReplicaAckTimeoutOfFiveSecondsOrMore() {
    IllegalArgumentException refused =
        assertThrows(IllegalArgumentException.class, () -> sender("5s"));
    assertEquals(
        "order.outbox.replica-ack-timeout must be under 5 s, not 5000 ms", refused.getMessage());
  }

  @Test
  void takesOneUnderFiveSeconds() {
    assertDoesNotThrow(() -> sender("4999ms"));
  }

  @Test
  void refusesABatchLongerThanOnePipeline() {
    IllegalArgumentException refused =
        assertThrows(
            IllegalArgumentException.class, () -> sender(Map.of("order.outbox.batch", "1025")));
    assertEquals("order.outbox.batch must be from 1 to 1024, not 1025", refused.getMessage());
    assertDoesNotThrow(() -> sender(Map.of("order.outbox.batch", "1024")));
  }
}
