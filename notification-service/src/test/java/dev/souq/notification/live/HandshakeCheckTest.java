package dev.souq.notification.live;

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
import java.net.URI;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A WebSocket handshake over HTTP/2 is refused at once, not left without an answer. */
@QuarkusTest
@WithTestResource(value = SouqTestResource.class, scope = TestResourceScope.GLOBAL)
class Http11OnlyTest {
  @TestHTTPResource("/")
  URI base;

  @Test
  void aHandshakeOverHttp2IsRefusedWith400() throws Exception {
    HttpClient client =
        OriginCheckTest.VERTX.createHttpClient(
            new HttpClientOptions()
                .setProtocolVersion(HttpVersion.HTTP_2)
                .setHttp2ClearTextUpgrade(false)); // prior knowledge: h2c from the first byte
    try {
      HttpClientResponse response =
          client
              .request(
                  new RequestOptions()
                      .setMethod(HttpMethod.GET)
                      .setHost(base.getHost())
                      .setPort(base.getPort())
                      .setURI("/ws/orders")
                      .addHeader("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==")
                      .addHeader("Sec-WebSocket-Version", "13"))
              .compose(request -> request.send())
              .toCompletionStage()
              .toCompletableFuture()
              .get(10, TimeUnit.SECONDS); // it never answered before
      assertEquals(HttpVersion.HTTP_2, response.version());
      assertEquals(400, response.statusCode());
    } finally {
      client.close();
    }
  }
}
