package dev.souq.devstack;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** What each replica ./run starts is given. */
class ServiceFleetTest {
  private static final Map<String, String> SHARED =
      Map.of(
          "REDIS_URL", "redis://127.0.0.1:6379",
          "SOUQ_ADMIN_TOKEN", "admin-token-of-at-least-thirty-two-chars",
          "SOUQ_SERVICE_TOKEN", "service-token-of-at-least-thirty-two-chars");

  @Test
  void notificationServiceFacesBrowsersOnlyAndGetsNoTokenTheOthersGetBoth() {
    for (Component component : Component.values()) {
      Map<String, String> env =
          ServiceFleet.environment(
              component, new Upstreams.Replica(component.port(), 9999), SHARED);
      assertEquals("redis://127.0.0.1:6379", env.get("REDIS_URL"), component.module());
      assertEquals("9999", env.get("QUARKUS_MANAGEMENT_PORT"), component.module());
      boolean tokens = component != Component.NOTIFICATION;
      assertEquals(tokens, env.containsKey("SOUQ_ADMIN_TOKEN"), component.module());
      assertEquals(tokens, env.containsKey("SOUQ_SERVICE_TOKEN"), component.module());
    }
  }
}
