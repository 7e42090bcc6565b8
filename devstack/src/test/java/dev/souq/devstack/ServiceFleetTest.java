package dev.souq.devstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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

  /** Each run's logs start empty; the run before's stay in previous/, older ones go. */
  @Test
  void aRunKeepsTheLastRunsLogsApartAndDropsTheOnesBefore(@TempDir Path state) throws Exception {
    Path logs = state.resolve("logs");
    ServiceFleet.keepPreviousRun(logs); // the first run: nothing there yet
    Files.createDirectories(logs);
    Files.writeString(logs.resolve("order-service.log"), "first run\n");

    ServiceFleet.keepPreviousRun(logs);
    assertFalse(Files.exists(logs.resolve("order-service.log")));
    assertEquals("first run\n", Files.readString(logs.resolve("previous/order-service.log")));

    Files.writeString(logs.resolve("order-service.log"), "second run\n");
    Files.writeString(logs.resolve("previous/worker-service-2.log"), "first run\n");
    ServiceFleet.keepPreviousRun(logs);
    assertEquals("second run\n", Files.readString(logs.resolve("previous/order-service.log")));
    assertFalse(
        Files.exists(logs.resolve("previous/worker-service-2.log")), "a run older than the last");
  }
}
