package dev.souq.notification.live;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.souq.notification.messaging.OrderUpdatesSubscriber;
import dev.souq.shared.session.Session;
import dev.souq.shared.session.SessionStore;
import dev.souq.testing.RedisCommand;
import dev.souq.testing.SouqTestResource;
import dev.souq.testing.TestStack;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A session that ended while this replica's subscription was down (its announcement published into
 * the gap, which pub/sub does not replay) has its connections ended as soon as the subscription is
 * live again. The check of all sessions is an hour apart here, as is the session's own expiry (its
 * TTL), so neither can be what ends them.
 */
@QuarkusTest
// SessionExpiryTest's profile: the same application serves both.
@TestProfile(SessionExpiryTest.HourlyCheck.class)
@WithTestResource(value = SouqTestResource.class, scope = TestResourceScope.GLOBAL)
class MissedSessionEndTest {
  @TestHTTPResource("/")
  URI base;

  @Inject SessionStore sessions;
  @Inject Listeners listeners;
  @Inject OrderUpdatesSubscriber subscriber;

  @Test
  void aSessionThatEndedWhileTheSubscriptionWasDownHasItsConnectionsEndedWhenItIsBack() {
    Session user = Shoppers.create(sessions);
    Session other = Shoppers.create(sessions);
    String redis = TestStack.get().redisUrl();
    try (Browser socket = Browser.open(base, user.sessionId(), null);
        Browser kept = Browser.open(base, other.sessionId(), null)) {
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  Shoppers.connections(listeners, user) == 1
                      && Shoppers.connections(listeners, other) == 1);
      await().atMost(Duration.ofSeconds(30)).until(subscriber::hearing);
      var proxy = TestStack.get().redisProxy();
      try {
        proxy.freeze();
        await().atMost(Duration.ofSeconds(20)).until(() -> !subscriber.live());
        // What order-service does at a logout, straight to Redis: no replica here hears it.
        RedisCommand.call(redis, "DEL", "session:" + user.sessionId());
        RedisCommand.call(
            redis,
            "PUBLISH",
            SessionStore.ENDED_CHANNEL,
            "{\"session_id\":\"" + user.sessionId() + "\",\"user_id\":\"" + user.userId() + "\"}");
      } finally {
        proxy.restore();
      }
      await().atMost(Duration.ofSeconds(30)).until(subscriber::live);
      await().atMost(Duration.ofSeconds(10)).until(() -> socket.closeCode() != null);
      assertEquals((short) 1008, socket.closeCode());
      // The check that ended it answered for the live session as well.
      assertNull(kept.closeCode(), "a live session's connection stays");
      assertEquals(1, Shoppers.connections(listeners, other));
    }
    await().atMost(Duration.ofSeconds(30)).until(subscriber::hearing);
  }
}
