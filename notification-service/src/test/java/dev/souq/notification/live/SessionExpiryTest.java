package dev.souq.notification.live;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.souq.shared.session.Session;
import dev.souq.shared.session.SessionStore;
import dev.souq.testing.RedisCommand;
import dev.souq.testing.SouqTestResource;
import dev.souq.testing.TestStack;
import io.quarkus.logging.Log;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * An expiry nobody announces still ends the session's connections soon after it (a tick, 250 ms,
 * plus a round trip): the replica looks at each session again when its TTL runs out. The check of
 * all sessions is an hour apart here, so it cannot be what closes them.
 */
@QuarkusTest
@TestProfile(SessionExpiryTest.HourlyCheck.class)
@WithTestResource(value = SouqTestResource.class, scope = TestResourceScope.GLOBAL)
class SessionExpiryTest {
  public static class HourlyCheck implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("notification.session-check-interval", "1h");
    }
  }

  private static final long TTL_MS = 5000;

  @TestHTTPResource("/")
  URI base;

  @Inject SessionStore sessions;
  @Inject Listeners listeners;

  @Test
  void anExpiredSessionsConnectionsEndSoonAfterItAndARenewedOnesStay() {
    Session expiring = Shoppers.create(sessions);
    Session renewed = Shoppers.create(sessions);
    String redis = TestStack.get().redisUrl();
    RedisCommand.call(redis, "PEXPIRE", "session:" + expiring.sessionId(), Long.toString(TTL_MS));
    RedisCommand.call(redis, "PEXPIRE", "session:" + renewed.sessionId(), Long.toString(TTL_MS));
    Instant expires = Instant.now().plusMillis(TTL_MS);
    try (Browser socket = Browser.open(base, expiring.sessionId(), null);
        EventStream stream = EventStream.open(base, expiring.sessionId(), null);
        Browser kept = Browser.open(base, renewed.sessionId(), null)) {
      await()
          .atMost(Duration.ofSeconds(4))
          .until(
              () ->
                  Shoppers.connections(listeners, expiring) == 2
                      && Shoppers.connections(listeners, renewed) == 1);
      // Its shopper goes on using this one: the TTL is renewed before it runs out.
      RedisCommand.call(redis, "EXPIRE", "session:" + renewed.sessionId(), "3600");

      await().atMost(Duration.ofSeconds(15)).until(() -> socket.closeCode() != null);
      Duration late = Duration.between(expires, Instant.now());
      await().atMost(Duration.ofSeconds(5)).until(stream::ended);
      assertEquals((short) 1008, socket.closeCode());
      // Only the look at its expiry can close it this soon: the check of all is an hour away.
      Log.infof("[session-expiry] closed %d ms after expiry", late.toMillis());

      // Past the renewed session's first look as well, it stays open.
      await()
          .during(Duration.ofSeconds(1))
          .atMost(Duration.ofSeconds(2))
          .until(() -> kept.closeCode() == null);
      assertEquals(1, Shoppers.connections(listeners, renewed));
    }
  }
}
