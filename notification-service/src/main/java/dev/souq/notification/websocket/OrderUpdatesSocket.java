package dev.souq.notification.websocket;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.souq.notification.config.NotificationConfig;
import dev.souq.notification.messaging.StreamId;
import dev.souq.notification.metrics.NotificationMetrics;
import dev.souq.shared.session.SessionStore;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.OnTextMessage;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

/**
 * {@code /ws/orders}: a browser's live order updates. The connection belongs to the user of the
 * Redis session in the {@code SOUQ_SESSION} cookie (or {@code ?session=}); without one it is closed
 * with 1008. {@code ?since=<offset>} or a first message {@code {"type":"resume","since":…}} replays
 * what the client missed.
 */
@WebSocket(path = "/ws/orders")
public class OrderUpdatesSocket {
  static final CloseReason NO_SESSION = new CloseReason(1008, "no valid session");
  static final CloseReason FULL = new CloseReason(1013, "too many connections");

  private final SessionStore sessions;
  private final Listeners listeners;
  private final Delivery delivery;
  private final Resumption resumption;
  private final NotificationConfig config;
  private final NotificationMetrics metrics;
  private final ObjectMapper json;

  OrderUpdatesSocket(
      SessionStore sessions,
      Listeners listeners,
      Delivery delivery,
      Resumption resumption,
      NotificationConfig config,
      NotificationMetrics metrics,
      ObjectMapper json) {
    this.sessions = sessions;
    this.listeners = listeners;
    this.delivery = delivery;
    this.resumption = resumption;
    this.config = config;
    this.metrics = metrics;
    this.json = json;
  }

  @OnOpen
  Uni<Void> open(WebSocketConnection connection) {
    // Called on the connection's event loop: remember it before the session lookup moves on.
    Context context = Vertx.currentContext();
    Handshake handshake = new Handshake(connection.handshakeRequest());
    return sessions
        .peek(handshake.sessionId())
        .chain(
            session -> {
              if (session == null) {
                return reject(connection, NO_SESSION);
              }
              Listener listener =
                  new Listener(
                      connection,
                      context,
                      session.userId(),
                      session.sessionId(),
                      config.sendQueue(),
                      delivery);
              if (!listeners.add(
                  listener, config.maxConnections(), config.maxConnectionsPerUser())) {
                return reject(connection, FULL);
              }
              StreamId since = StreamId.parse(handshake.since());
              return since == null
                  ? Uni.createFrom().voidItem()
                  : resumption.resume(listener, since);
            });
  }

  private Uni<Void> reject(WebSocketConnection connection, CloseReason reason) {
    metrics.rejected();
    return connection.close(reason);
  }

  @OnTextMessage
  Uni<Void> message(String text, WebSocketConnection connection) {
    Listener listener = listeners.get(connection.id());
    if (listener == null) {
      return Uni.createFrom().voidItem();
    }
    JsonNode message;
    try {
      message = json.readTree(text);
    } catch (Exception e) {
      return connection.sendText(Replies.error("not JSON"));
    }
    if (message == null || !"resume".equals(message.path("type").asText())) {
      return connection.sendText(
          Replies.error("expected {\"type\":\"resume\",\"since\":\"<offset>\"}"));
    }
    StreamId since = StreamId.parse(message.path("since").asText(null));
    if (since == null) {
      return connection.sendText(Replies.error("since must be an offset like 1732630000000-0"));
    }
    return resumption.resume(listener, since);
  }

  @OnClose
  void close(WebSocketConnection connection) {
    listeners.remove(connection.id());
  }
}
