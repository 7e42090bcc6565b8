package dev.souq.notification.live;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.souq.testing.SouqTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A request that carries a WebSocket key but cannot become a WebSocket is refused with 400 at once,
 * before it takes a socket slot: over HTTP/2 it was not answered at all.
 */
@QuarkusTest
@WithTestResource(value = SouqTestResource.class, scope = TestResourceScope.GLOBAL)
class HandshakeCheckTest {
  @TestHTTPResource("/")
  URI base;

  @Inject HeldSockets held;

  @Test
  void aHandshakeOverHttp2IsRefusedWith400() throws Exception {
    HttpClientResponse response =
        handshake(
            new HttpClientOptions()
                .setProtocolVersion(HttpVersion.HTTP_2)
                .setHttp2ClearTextUpgrade(false), // prior knowledge: h2c from the first byte
            null);
    assertEquals(HttpVersion.HTTP_2, response.version());
    assertEquals(400, response.statusCode());
  }

  @Test
  void aHandshakeWithoutUpgradeIsRefusedWith400BeforeItTakesASlot() throws Exception {
    await().atMost(Duration.ofSeconds(20)).until(() -> held.taken() == 0);
    HttpClientResponse response = handshake(new HttpClientOptions().setKeepAlive(true), null);
    assertEquals(400, response.statusCode());
    assertEquals(0, held.taken(), "no slot kept for 10 s by a connection kept open");
    assertEquals(400, handshake(new HttpClientOptions(), "h2c").statusCode());
  }

  /** A GET of /ws/orders with a WebSocket key, and {@code upgrade} as its Upgrade header. */
  private HttpClientResponse handshake(HttpClientOptions options, String upgrade) throws Exception {
    HttpClient client = OriginCheckTest.VERTX.createHttpClient(options);
    try {
      RequestOptions request =
          new RequestOptions()
              .setMethod(HttpMethod.GET)
              .setHost(base.getHost())
              .setPort(base.getPort())
              .setURI("/ws/orders")
              .addHeader("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==")
              .addHeader("Sec-WebSocket-Version", "13");
      if (upgrade != null) {
        request.addHeader("Upgrade", upgrade).addHeader("Connection", "Upgrade");
      }
      return client
          .request(request)
          .compose(r -> r.send())
          .toCompletionStage()
          .toCompletableFuture()
          .get(10, TimeUnit.SECONDS); // over HTTP/2 it never answered before
    } finally {
      client.close();
    }
  }
}
