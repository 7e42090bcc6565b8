package dev.souq.notification.live;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.souq.notification.messaging.OrderUpdatesSubscriber;
import dev.souq.shared.messages.OrderUpdate;
import dev.souq.shared.session.Session;
import dev.souq.shared.session.SessionStore;
import dev.souq.testing.ProxyControl;
import dev.souq.testing.RedisCommand;
import dev.souq.testing.SouqTestResource;
import dev.souq.testing.TestStack;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A replica whose stream was empty at start and that has routed nothing yet still delivers what is
 * published while its first subscription is down: it catches up from the offset it noted at start,
 * not from "now" at re-subscribe.
 */
@QuarkusTest
@TestProfile(FirstSubscriptionTest.EmptyStream.class)
@WithTestResource(value = SouqTestResource.class, scope = TestResourceScope.GLOBAL)
class FirstSubscriptionTest {
  /** A Redis database of its own, emptied before the app starts, so the stream starts empty. */
  public static class EmptyStream implements QuarkusTestProfile {
    static final int DATABASE = 15;

    @Override
    public Map<String, String> getConfigOverrides() {
      RedisCommand.run(realRedis(), "FLUSHDB");
      return Map.of("quarkus.redis.hosts", inDatabase(TestStack.get().proxiedRedisUrl(), DATABASE));
    }

    static String realRedis() {
      return inDatabase(TestStack.get().redisUrl(), DATABASE);
    }

    private static String inDatabase(String redisUrl, int database) {
      URI url = URI.create(redisUrl);
      String auth = url.getRawUserInfo() == null ? "" : url.getRawUserInfo() + "@";
      int port = url.getPort() == -1 ? 6379 : url.getPort();
      return url.getScheme() + "://" + auth + url.getHost() + ":" + port + "/" + database;
    }
  }

  @TestHTTPResource("/")
  URI base;

  @Inject SessionStore sessions;
  @Inject Listeners listeners;
  @Inject OrderUpdatesSubscriber subscriber;

  @Test
  void anUpdatePublishedBeforeTheFirstEventWhileTheSubscriptionIsDownIsDelivered() {
    String redisUrl = EmptyStream.realRedis();
    await().atMost(Duration.ofSeconds(30)).until(subscriber::live);
    assertEquals(0L, RedisCommand.call(redisUrl, "EXISTS", OrderUpdate.STREAM));
    Session user = Shoppers.create(sessions);
    long order = Publisher.order();
    try (Browser browser = Browser.open(base, user.sessionId(), null)) {
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> Shoppers.connections(listeners, user) == 1);
      ProxyControl redis = TestStack.get().redisProxy();
      String offset;
      try {
        redis.cut();
        await().atMost(Duration.ofSeconds(10)).until(() -> !subscriber.live());
        offset = Publisher.publish(redisUrl, user.userId(), order, "PAID", null);
      } finally {
        redis.restore();
      }
      await().atMost(Duration.ofSeconds(30)).until(() -> browser.updates().size() == 1);
      assertEquals(offset, browser.updates().get(0).getString("offset"));
      assertNull(browser.closeCode());
    }
  }
}
