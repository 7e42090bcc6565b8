package dev.souq.order.messaging;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/**
 * The outbox relay with a poll too slow to rescue any test (an hour), so only commits' wake-ups and
 * a test's kicks run it, and a row per transaction, so racing relays meet at the lock many times.
 * Each batch also waits for a Redis replica the test Redis does not have (50 ms), and goes all the
 * same. One profile for the outbox tests: each distinct profile costs an app restart.
 */
public class KickedRelay implements QuarkusTestProfile {
  @Override
  public Map<String, String> getConfigOverrides() {
    return Map.of(
        "order.outbox.batch", "1",
        "order.outbox.poll", "1h",
        "order.outbox.replica-acks", "1",
        "order.outbox.replica-ack-timeout", "50ms");
  }
}
