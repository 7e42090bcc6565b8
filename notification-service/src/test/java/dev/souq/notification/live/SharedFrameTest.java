package dev.souq.notification.live;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.souq.shared.session.Session;
import dev.souq.shared.session.SessionStore;
import dev.souq.testing.SouqTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Frames are encoded once per event and written, as the same bytes, straight to each connection's
 * channel (not through websockets-next's sendText): this breaks if a websockets-next upgrade hides
 * the socket differently, which would silently fall back to the slow path.
 */
@QuarkusTest
@WithTestResource(value = SouqTestResource.class, scope = TestResourceScope.GLOBAL)
class SharedFrameTest {
  @TestHTTPResource("/")
  URI base;

  @Inject SessionStore sessions;
  @Inject Listeners listeners;

  @Test
  void everyTabOfAUserGetsEveryUpdateInOrderThroughTheDirectPath() {
    Session user = Shoppers.create(sessions);
    List<Browser> tabs = new ArrayList<>();
    try {
      for (int i = 0; i < 3; i++) {
        tabs.add(Browser.open(base, user.sessionId(), null));
      }
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> Shoppers.connections(listeners, user) == tabs.size());
      assertTrue(
          Shoppers.of(listeners, user)
              .allMatch(l -> l.transport() instanceof WebSocketTransport ws && ws.direct()),
          "frames must go straight to the channel");
      long order = Publisher.order();
      List<String> offsets = new ArrayList<>();
      // Payloads on both sides of the 126-byte and 65,536-byte frame-length boundaries.
      for (Integer padding : new Integer[] {null, 200, 70_000, null}) {
        offsets.add(Publisher.publish(user.userId(), order, "PAID", padding));
      }
      for (Browser tab : tabs) {
        await().atMost(Duration.ofSeconds(10)).until(() -> tab.updates().size() == offsets.size());
        assertEquals(offsets, tab.updates().stream().map(u -> u.getString("offset")).toList());
        JsonObject big = tab.updates().get(2);
        assertEquals(70_000, big.getString("padding").length());
        assertNull(tab.closeCode());
      }
    } finally {
      tabs.forEach(Browser::close);
    }
  }
}
