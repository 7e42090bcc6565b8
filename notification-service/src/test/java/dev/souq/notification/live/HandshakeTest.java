package dev.souq.notification.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.souq.notification.messaging.StreamId;
import io.quarkus.websockets.next.HandshakeRequest;
import java.lang.reflect.Proxy;
import java.util.List;
import org.junit.jupiter.api.Test;

class HandshakeTest {
  private static final String ID = "S".repeat(43);

  @Test
  void theQueryCarriesASessionOnlyWhereConfigured() {
    HandshakeRequest query = request(null, "since=1-0&session=" + ID);
    assertNull(new Handshake(query, false).sessionId());
    assertEquals(ID, new Handshake(query, true).sessionId());
    assertEquals("1-0", new Handshake(query, false).since());
  }

  @Test
  void theCookieWinsOverTheQuery() {
    HandshakeRequest both = request("a=b; SOUQ_SESSION=" + ID, "session=other");
    assertEquals(ID, new Handshake(both, true).sessionId());
    assertEquals(ID, new Handshake(both, false).sessionId());
  }

  @Test
  void aBadlyEncodedSinceIsMalformedNotAbsent() {
    // Absent, the client would silently get no replay; malformed, it is told so.
    String since = new Handshake(request(null, "since=%zz"), false).since();
    assertEquals("%zz", since);
    assertNull(StreamId.parse(since));
  }

  /** A handshake with this Cookie header and query string (only what Handshake reads). */
  private static HandshakeRequest request(String cookie, String query) {
    return (HandshakeRequest)
        Proxy.newProxyInstance(
            HandshakeRequest.class.getClassLoader(),
            new Class<?>[] {HandshakeRequest.class},
            (proxy, method, args) ->
                switch (method.getName()) {
                  case "headers" -> cookie == null ? null : List.of(cookie);
                  case "query" -> query;
                  default -> throw new UnsupportedOperationException(method.getName());
                });
  }
}
