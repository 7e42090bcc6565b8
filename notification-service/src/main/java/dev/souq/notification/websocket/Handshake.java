package dev.souq.notification.websocket;

import dev.souq.shared.session.SessionStore;
import io.quarkus.websockets.next.HandshakeRequest;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/** What the upgrade request says: the session id (cookie first, then ?session=) and ?since=. */
final class Handshake {
  private final HandshakeRequest request;

  Handshake(HandshakeRequest request) {
    this.request = request;
  }

  String sessionId() {
    String cookie = cookie(SessionStore.COOKIE);
    return cookie != null ? cookie : query("session");
  }

  String since() {
    return query("since");
  }

  private String cookie(String name) {
    java.util.List<String> headers = request.headers("Cookie");
    if (headers == null) {
      return null;
    }
    for (String header : headers) {
      for (String pair : header.split(";")) {
        int eq = pair.indexOf('=');
        if (eq > 0 && pair.substring(0, eq).trim().equals(name)) {
          return pair.substring(eq + 1).trim();
        }
      }
    }
    return null;
  }

  private String query(String name) {
    String query = request.query();
    if (query == null) {
      return null;
    }
    for (String pair : query.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0 && pair.substring(0, eq).equals(name)) {
        try {
          return URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException malformed) {
          return null;
        }
      }
    }
    return null;
  }
}
