package dev.souq.notification.live;

import dev.souq.shared.session.SessionStore;
import io.quarkus.websockets.next.HandshakeRequest;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * What the upgrade request says: the session id and ?since=. The session comes from the cookie;
 * from {@code ?session=} only where configured ({@code notification.session-query-param}), for
 * clients that cannot set a cookie, since a credential in a URL ends up in proxies' and browsers'
 * logs.
 */
final class Handshake {
  /** Where {@link UpgradeBudget} notes the client's address (IPv4, or IPv6 /64) for the open. */
  static final String CLIENT = "X-Souq-Client";

  private final HandshakeRequest request;
  private final boolean sessionInQuery;

  Handshake(HandshakeRequest request, boolean sessionInQuery) {
    this.request = request;
    this.sessionInQuery = sessionInQuery;
  }

  String sessionId() {
    String cookie = cookie(SessionStore.COOKIE);
    return cookie != null || !sessionInQuery ? cookie : query("session");
  }

  String since() {
    return query("since");
  }

  /** The client, as {@link UpgradeBudget} saw it. */
  String client() {
    String client = request.header(CLIENT);
    return client == null ? "unknown" : client;
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
          // As sent: never a valid offset or session id, so the client is told, not ignored.
          return pair.substring(eq + 1);
        }
      }
    }
    return null;
  }
}
