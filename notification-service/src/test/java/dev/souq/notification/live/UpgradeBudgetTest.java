package dev.souq.notification.live;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.souq.testing.RedisCommand;
import dev.souq.testing.SouqTestResource;
import dev.souq.testing.TestStack;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocketConnectOptions;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Opening sockets in a loop spends the client's rate budget like any other request. */
@QuarkusTest
@TestProfile(UpgradeBudgetTest.ThreeAMinute.class)
@WithTestResource(value = SouqTestResource.class, scope = TestResourceScope.GLOBAL)
class UpgradeBudgetTest {
  public static class ThreeAMinute implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("souq.rate-limit.per-minute", "3", "souq.rate-limit.redis-timeout", "10s");
    }
  }

  @TestHTTPResource("/")
  URI base;

  @Inject HeldSockets held;

  @Test
  void theFourthUpgradeInTwentySecondsIsRefusedWith429BeforeAnySessionLookup() throws Exception {
    String redis = TestStack.get().redisUrl();
    RedisCommand.run(redis, "DEL", "{rate_limit}:127.0.0.1");
    try {
      // No session at all: an upgrade that got through would be closed with 1008 after it.
      for (int i = 0; i < 3; i++) {
        assertEquals(101, OriginCheckTest.upgrade(base, "no-such-session", null), "upgrade " + i);
      }
      // A refused upgrade gives back the slot it took for its check before it answers, on a
      // connection the client keeps open: else it would hold it until that closed or 10 s passed.
      await().atMost(Duration.ofSeconds(20)).until(() -> held.taken() == 0);
      try (RawSocket raw = RawSocket.open(base, "/ws/orders", new byte[0])) {
        assertEquals(429, raw.status());
        assertEquals(0, held.taken());
      }
      WebSocketConnectOptions options =
          new WebSocketConnectOptions()
              .setHost(base.getHost())
              .setPort(base.getPort())
              .setURI("/ws/orders");
      ExecutionException refused =
          assertThrows(
              ExecutionException.class,
              () ->
                  OriginCheckTest.VERTX
                      .createWebSocketClient()
                      .connect(options)
                      .toCompletionStage()
                      .toCompletableFuture()
                      .get(10, TimeUnit.SECONDS));
      UpgradeRejectedException rejected =
          assertInstanceOf(UpgradeRejectedException.class, refused.getCause());
      assertEquals(429, rejected.getStatus());
      long retryAfter = Long.parseLong(rejected.getHeaders().get("Retry-After"));
      assertTrue(retryAfter >= 1 && retryAfter <= 20, "Retry-After " + retryAfter);
      // The contract's headers of every 429, as REST sends them: the budget and what is left.
      assertEquals("\"per-ip\";q=3;w=60", rejected.getHeaders().get("RateLimit-Policy"));
      assertTrue(
          rejected.getHeaders().get("RateLimit").matches("\"per-ip\";r=0;t=\\d+"),
          "RateLimit " + rejected.getHeaders().get("RateLimit"));

      // The SSE fallback spends the same budget: no way around it by switching transport.
      try (EventStream stream = EventStream.open(base, "no-such-session", null)) {
        assertEquals(429, stream.response().statusCode());
        assertEquals("application/problem+json", stream.response().getHeader("Content-Type"));
      }
    } finally {
      RedisCommand.run(redis, "DEL", "{rate_limit}:127.0.0.1");
    }
  }
}
