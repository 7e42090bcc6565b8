package dev.souq.notification.live;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.souq.shared.session.SessionStore;
import dev.souq.testing.SouqTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Vertx;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketConnectOptions;
import jakarta.inject.Inject;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Cross-site WebSocket hijacking: a page of another origin cannot open /ws/orders. */
@QuarkusTest
@WithTestResource(value = SouqTestResource.class, scope = TestResourceScope.GLOBAL)
class OriginCheckTest {
  static final Vertx VERTX = Vertx.vertx();

  @TestHTTPResource("/")
  URI base;

  @Inject SessionStore sessions;

  @AfterAll
  static void close() {
    VERTX.close();
  }

  @Test
  void anUpgradeFromAnotherSiteIsRefusedWith403EvenWithAValidSessionCookie() {
    String session = Shoppers.create(sessions).sessionId();
    assertEquals(403, upgrade(base, session, "https://evil.example"));
    assertEquals(403, upgrade(base, session, "http://localhost.evil.example:" + base.getPort()));
    assertEquals(403, upgrade(base, session, "http://localhost:" + (base.getPort() + 1)));
    assertEquals(403, upgrade(base, session, "null"));
  }

  @Test
  void anUpgradeFromThePagesOwnOriginOrWithoutOriginIsAccepted() {
    String session = Shoppers.create(sessions).sessionId();
    assertEquals(101, upgrade(base, session, "http://localhost:" + base.getPort()));
    assertEquals(101, upgrade(base, session, "HTTP://LOCALHOST:" + base.getPort()));
    assertEquals(101, upgrade(base, session, null)); // not a browser
  }

  @Test
  void behindAProxyThatRewritesHostTheForwardedHostCounts() {
    String session = Shoppers.create(sessions).sessionId();
    assertEquals(
        101,
        upgrade(base, session, "https://shop.example", Map.of("X-Forwarded-Host", "shop.example")));
    assertEquals(
        403,
        upgrade(base, session, "https://evil.example", Map.of("X-Forwarded-Host", "shop.example")));
  }

  /**
   * Opens /ws/orders with the session cookie and {@code origin} (none if null); 101 when the
   * upgrade was accepted, else the HTTP status it was refused with.
   */
  static int upgrade(URI base, String session, String origin) {
    return upgrade(base, session, origin, Map.of());
  }

  static int upgrade(URI base, String session, String origin, Map<String, String> headers) {
    WebSocketConnectOptions options =
        new WebSocketConnectOptions()
            .setHost(base.getHost())
            .setPort(base.getPort())
            .setURI("/ws/orders")
            .setAllowOriginHeader(origin != null) // false also strips one set by hand
            .addHeader("Cookie", "SOUQ_SESSION=" + session);
    if (origin != null) {
      options.addHeader("Origin", origin);
    }
    headers.forEach(options::addHeader);
    try {
      WebSocket socket =
          VERTX
              .createWebSocketClient()
              .connect(options)
              .toCompletionStage()
              .toCompletableFuture()
              .get(10, TimeUnit.SECONDS);
      socket.close();
      return 101;
    } catch (ExecutionException e) {
      if (e.getCause() instanceof UpgradeRejectedException rejected) {
        return rejected.getStatus();
      }
      throw new IllegalStateException(e);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
