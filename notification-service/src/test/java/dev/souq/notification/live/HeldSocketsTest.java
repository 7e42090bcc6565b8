package dev.souq.notification.live;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.souq.shared.session.Session;
import dev.souq.shared.session.SessionStore;
import dev.souq.testing.RedisCommand;
import dev.souq.testing.SouqTestResource;
import dev.souq.testing.TestStack;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.Future;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import jakarta.inject.Inject;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * An instance holds at most {@code max-connections} WebSockets, routed or not, and upgrades on
 * their way to becoming one: the next upgrade is refused with 503 before it happens, and a socket
 * gives its slot back when its TCP connection ends, routed or turned away.
 */
@QuarkusTest
@TestProfile(HeldSocketsTest.ThreeSockets.class)
@WithTestResource(value = SouqTestResource.class, scope = TestResourceScope.GLOBAL)
class HeldSocketsTest {
  private static final Duration PATIENCE = Duration.ofSeconds(20);
  private static final int MAX = 3;

  public static class ThreeSockets implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      // Every upgrade is checked in Redis (at 100 a minute no cells are granted ahead), and a
      // check waits out a pause of Redis rather than failing open.
      return Map.of(
          "notification.max-connections",
          Integer.toString(MAX),
          "souq.rate-limit.per-minute",
          "100",
          "souq.rate-limit.redis-timeout",
          "20s");
    }
  }

  @TestHTTPResource("/")
  URI base;

  @Inject SessionStore sessions;
  @Inject Listeners listeners;
  @Inject HeldSockets held;

  /**
   * Sockets turned away (no session: 1008) whose client never answers the close are held until
   * Vert.x drops them, 10 s later: routed to nothing, they still fill the instance.
   */
  @Test
  void socketsTurnedAwayButNotYetGoneFillTheInstance() {
    await().atMost(PATIENCE).until(() -> held.held() == 0);
    List<RawSocket> turnedAway = new ArrayList<>();
    try {
      for (int i = 0; i < MAX; i++) {
        RawSocket socket = RawSocket.open(base, "/ws/orders", new byte[0]);
        turnedAway.add(socket);
        assertEquals(101, socket.status(), "upgrade " + i);
        await().atMost(PATIENCE).until(() -> socket.closeCode() != null);
        assertEquals(1008, socket.closeCode(), "no session: " + i);
      }
      assertEquals(MAX, held.held());
      assertEquals(0, listeners.count(), "none of them routed");

      assertEquals(503, upgradeRefused(Shoppers.create(sessions)).getStatus());
      turnedAway.forEach(
          socket -> assertFalse(socket.disconnected(), "still held when the upgrade was refused"));
    } finally {
      turnedAway.forEach(RawSocket::close);
    }
    // Each gives its slot back as its TCP connection ends.
    await().atMost(PATIENCE).until(() -> held.held() == 0);
    Browser browser = Browser.open(base, Shoppers.create(sessions).sessionId(), null);
    try {
      await().atMost(PATIENCE).until(() -> listeners.count() == 1);
    } finally {
      browser.close();
    }
  }

  @Test
  void pastTheCapAnUpgradeIsRefusedWith503AndRetryAfterBeforeItHappens() {
    await().atMost(PATIENCE).until(() -> held.held() == 0);
    List<Browser> open = new ArrayList<>();
    try {
      for (int i = 0; i < MAX; i++) {
        open.add(Browser.open(base, Shoppers.create(sessions).sessionId(), null));
      }
      await().atMost(PATIENCE).until(() -> listeners.all().size() == MAX);
      assertEquals(MAX, held.held());

      UpgradeRejectedException refused = upgradeRefused(Shoppers.create(sessions));
      assertEquals(503, refused.getStatus());
      assertEquals("10", refused.getHeaders().get("Retry-After"));
      // A raw client sees the same: an HTTP answer, never a 101 followed by a close.
      byte[] cookie =
          ("Cookie: SOUQ_SESSION=" + Shoppers.create(sessions).sessionId() + "\r\n")
              .getBytes(StandardCharsets.ISO_8859_1);
      try (RawSocket raw = RawSocket.open(base, "/ws/orders", cookie)) {
        assertEquals(503, raw.status());
      }
      assertEquals(MAX, held.taken(), "a refused upgrade holds no slot");

      open.remove(0).close();
      await().atMost(PATIENCE).until(() -> held.held() == MAX - 1);
      Session next = Shoppers.create(sessions);
      Browser again = Browser.open(base, next.sessionId(), null);
      open.add(again);
      await().atMost(PATIENCE).until(() -> listeners.watching(next.userId(), next.sessionId()));
      assertNull(again.closeCode(), "the freed slot is taken again");
    } finally {
      open.forEach(Browser::close);
    }
  }

  /**
   * Upgrades waiting on their rate check in Redis hold slots as sockets do: while Redis holds the
   * checks back, the instance takes MAX of them and refuses the next at once, before its check.
   */
  @Test
  void upgradesWaitingOnTheirRateCheckHoldSlots() {
    await().atMost(PATIENCE).until(() -> held.taken() == 0);
    List<Session> shoppers = new ArrayList<>();
    for (int i = 0; i <= MAX; i++) {
      shoppers.add(Shoppers.create(sessions)); // written before Redis pauses
    }
    String redis = TestStack.get().redisUrl();
    WebSocketClient client = OriginCheckTest.VERTX.createWebSocketClient();
    List<Future<WebSocket>> waiting = new ArrayList<>();
    // The limiter's script is a write: its checks wait until Redis takes writes again.
    RedisCommand.run(redis, "CLIENT", "PAUSE", "20000", "WRITE");
    try {
      for (int i = 0; i < MAX; i++) {
        waiting.add(client.connect(options(shoppers.get(i))));
      }
      await().atMost(PATIENCE).until(() -> held.taken() == MAX);
      assertEquals(0, held.held(), "none open: all wait on their rate check");
      assertEquals(503, upgradeRefused(shoppers.get(MAX)).getStatus());
      // The Origin is checked before a slot is taken: a cross-site upgrade is refused as such.
      assertEquals(
          403, OriginCheckTest.upgrade(base, shoppers.get(MAX).sessionId(), "https://evil.test"));
    } finally {
      RedisCommand.run(redis, "CLIENT", "UNPAUSE");
    }
    try {
      // Once Redis answers, the waiting ones open in the slots they hold.
      await().atMost(PATIENCE).until(() -> listeners.count() == MAX);
      assertEquals(MAX, held.held());
      assertEquals(MAX, held.taken());
    } finally {
      client.close();
    }
  }

  private WebSocketConnectOptions options(Session session) {
    return new WebSocketConnectOptions()
        .setHost(base.getHost())
        .setPort(base.getPort())
        .setURI("/ws/orders")
        .addHeader("Cookie", "SOUQ_SESSION=" + session.sessionId());
  }

  private UpgradeRejectedException upgradeRefused(Session session) {
    WebSocketConnectOptions options = options(session);
    WebSocketClient client = OriginCheckTest.VERTX.createWebSocketClient();
    try {
      ExecutionException failed =
          assertThrows(
              ExecutionException.class,
              () ->
                  client
                      .connect(options)
                      .toCompletionStage()
                      .toCompletableFuture()
                      .get(10, TimeUnit.SECONDS));
      return assertInstanceOf(UpgradeRejectedException.class, failed.getCause());
    } finally {
      client.close();
    }
  }
}
