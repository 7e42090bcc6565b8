package dev.souq.notification.live;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.souq.shared.session.SessionStore;
import dev.souq.testing.SouqTestResource;
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
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * An instance holds at most {@code max-connections} WebSockets, whatever state they are in, and
 * refuses the next upgrade with 503 before it happens; a socket gives its slot back when its TCP
 * connection ends, admitted or turned away.
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
      return Map.of("notification.max-connections", Integer.toString(MAX));
    }
  }

  @TestHTTPResource("/")
  URI base;

  @Inject SessionStore sessions;
  @Inject Listeners listeners;
  @Inject HeldSockets held;

  @Test
  void socketsTurnedAwayGiveTheirSlotsBackWhenTheirConnectionEnds() {
    await().atMost(PATIENCE).until(() -> held.held() == 0);
    // Twice the cap, one after the other: each is upgraded, closed with 1008, then let go.
    for (int i = 0; i < 2 * MAX; i++) {
      try (RawSocket socket = RawSocket.open(base, "/ws/orders", new byte[0])) {
        assertEquals(101, socket.status(), "upgrade " + i);
        await().atMost(PATIENCE).until(() -> socket.closeCode() != null);
        assertEquals(1008, socket.closeCode(), "no session: " + i);
      }
      await().atMost(PATIENCE).until(() -> held.held() == 0);
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

      UpgradeRejectedException refused = upgradeRefused();
      assertEquals(503, refused.getStatus());
      assertEquals("10", refused.getHeaders().get("Retry-After"));
      // A raw client sees the same: an HTTP answer, never a 101 followed by a close.
      try (RawSocket raw = RawSocket.open(base, "/ws/orders", cookie())) {
        assertEquals(503, raw.status());
      }
      assertEquals(MAX, held.held(), "a refused upgrade holds nothing");

      open.remove(0).close();
      await().atMost(PATIENCE).until(() -> held.held() == MAX - 1);
      Browser again = Browser.open(base, Shoppers.create(sessions).sessionId(), null);
      open.add(again);
      await().atMost(PATIENCE).until(() -> listeners.all().size() == MAX);
      assertNull(again.closeCode(), "the freed slot is taken again");
    } finally {
      open.forEach(Browser::close);
    }
  }

  private byte[] cookie() {
    return ("Cookie: SOUQ_SESSION=" + Shoppers.create(sessions).sessionId() + "\r\n")
        .getBytes(StandardCharsets.ISO_8859_1);
  }

  private UpgradeRejectedException upgradeRefused() {
    WebSocketConnectOptions options =
        new WebSocketConnectOptions()
            .setHost(base.getHost())
            .setPort(base.getPort())
            .setURI("/ws/orders")
            .addHeader("Cookie", "SOUQ_SESSION=" + Shoppers.create(sessions).sessionId());
    ExecutionException failed =
        assertThrows(
            ExecutionException.class,
            () ->
                OriginCheckTest.VERTX
                    .createWebSocketClient()
                    .connect(options)
                    .toCompletionStage()
                    .toCompletableFuture()
                    .get(10, TimeUnit.SECONDS));
    return assertInstanceOf(UpgradeRejectedException.class, failed.getCause());
  }
}
