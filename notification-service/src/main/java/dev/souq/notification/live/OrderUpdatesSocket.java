package dev.souq.notification.live;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.souq.notification.config.NotificationConfig;
import dev.souq.notification.messaging.StreamId;
import dev.souq.notification.metrics.NotificationMetrics;
import dev.souq.shared.session.Session;
import dev.souq.shared.session.WatchedSession;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.quarkus.logging.Log;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.InboundProcessingMode;
import io.quarkus.websockets.next.OnBinaryMessage;
import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnError;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.OnTextMessage;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.net.SocketException;

/**
 * {@code /ws/orders}: a browser's live order updates. The connection belongs to the user of the
 * Redis session in the {@code SOUQ_SESSION} cookie (or {@code ?session=} where configured); without
 * one it is closed with 1008. {@code ?since=<offset>} or a first message {@code
 * {"type":"resume","since":…}} replays what the client missed. Messages are handled {@code SERIAL}
 * (the default, set here on purpose): a connection's messages wait until {@code @OnOpen}'s Uni, the
 * session lookup, completes, so a resume sent from the client's {@code onopen} finds it admitted.
 */
@WebSocket(path = "/ws/orders", inboundProcessingMode = InboundProcessingMode.SERIAL)
public class OrderUpdatesSocket {
  static final CloseReason NO_SESSION = new CloseReason(1008, "no valid session");
  static final CloseReason FULL = new CloseReason(1013, "too many connections");
  static final CloseReason UNAVAILABLE = new CloseReason(1013, "sessions unavailable, try again");
  static final CloseReason FLOODING = new CloseReason(1008, "too many messages");
  static final CloseReason NOT_UTF8 = new CloseReason(1007, "text is not valid UTF-8");
  static final CloseReason TOO_BIG = new CloseReason(1009, "message too big");
  private static final String BAD_OFFSET = "since must be an offset like 1732630000000-0";
  static final CloseReason BINARY = new CloseReason(1003, "only text messages are accepted");

  private final SessionWatch sessions;
  private final Listeners listeners;
  private final Delivery delivery;
  private final Resumption resumption;
  private final NotificationConfig config;
  private final NotificationMetrics metrics;
  private final ObjectMapper json;
  private final HeldSockets held;
  private final ClientSlots opening = new ClientSlots();

  OrderUpdatesSocket(
      SessionWatch sessions,
      Listeners listeners,
      Delivery delivery,
      Resumption resumption,
      NotificationConfig config,
      NotificationMetrics metrics,
      ObjectMapper json,
      HeldSockets held) {
    this.sessions = sessions;
    this.listeners = listeners;
    this.delivery = delivery;
    this.resumption = resumption;
    this.config = config;
    this.metrics = metrics;
    this.json = json;
    this.held = held;
  }

  @OnOpen
  Uni<Void> open(WebSocketConnection connection) {
    // Called on the connection's event loop: remember it before the session lookup moves on.
    Context context = Vertx.currentContext();
    Handshake handshake = new Handshake(connection.handshakeRequest(), config.sessionQueryParam());
    String client = handshake.client();
    if (!held.take(connection)) {
      return reject(connection, FULL); // past the upgrade check as others opened
    }
    // Capped like open ones: a client's connections that wait for Redis (and the frames they
    // queue meanwhile) cannot pile up while it is slow.
    if (!opening.take(client, config.maxConnectionsPerClient())) {
      return reject(connection, FULL);
    }
    return sessions
        .read(handshake.sessionId())
        // Once, whatever ends the lookup: an answer, a failure, or the client leaving.
        .onTermination()
        .invoke(() -> opening.release(client))
        .onItemOrFailure()
        .transformToUni(
            (watched, failure) -> {
              if (failure == null) {
                return admit(connection, context, handshake, watched);
              }
              // Redis away or silent: an outage, as SSE's 503 is, not an error of this service.
              Log.debugf("WebSocket %s not opened: %s", connection.id(), failure.toString());
              return reject(connection, UNAVAILABLE);
            });
  }

  /** Routes to the connection if its session is valid and a limit lets it in. */
  private Uni<Void> admit(
      WebSocketConnection connection,
      Context context,
      Handshake handshake,
      WatchedSession watched) {
    if (watched == null) {
      return reject(connection, NO_SESSION);
    }
    Session session = watched.session();
    String sinceParameter = handshake.since();
    StreamId since = sinceParameter == null ? null : StreamId.parse(sinceParameter);
    Listener listener =
        Listener.of(
            written -> WebSocketTransport.of(connection, written),
            context,
            session,
            handshake.client(),
            config,
            config.pingInterval(),
            delivery);
    if (since != null) {
      resumption.holdAtOpen(listener);
    }
    if (sessions.admit(listener, watched, config) != Listeners.Admission.ADDED) {
      return reject(connection, FULL);
    }
    if (connection.isClosed()) {
      // Gone during the session lookup: @OnClose ran before it was added.
      listeners.remove(connection.id());
      return Uni.createFrom().voidItem();
    }
    if (sinceParameter == null) {
      return Uni.createFrom().voidItem();
    }
    return since == null
        ? connection.sendText(Replies.error(BAD_OFFSET))
        : resumption.replayHeld(listener, since);
  }

  /**
   * Turns away a connection nothing was routed to: its close frame is the first frame it gets, and
   * once that is written Vert.x drops the TCP connection if no answer comes within its closing
   * timeout (10 s).
   */
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
    if (!listener.budget().spend()) {
      return drop(connection, FLOODING);
    }
    if (text.indexOf('\uFFFD') >= 0) {
      // Vert.x decodes invalid UTF-8 to U+FFFD, which no message of this protocol contains.
      return drop(connection, NOT_UTF8);
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
      return connection.sendText(Replies.error(BAD_OFFSET));
    }
    return resumption.resume(listener, since);
  }

  /**
   * Stops routing to the connection at once (what it sends meanwhile is ignored), then closes it
   * through its transport, with the guards of every close the server starts on a routed connection:
   * no data frame after the close frame, and the TCP connection dropped if the client never answers
   * (a client that stopped reading never even gets the close frame, queued behind what it left).
   */
  private Uni<Void> drop(WebSocketConnection connection, CloseReason reason) {
    metrics.rejected();
    Listener listener = listeners.take(connection.id());
    if (listener != null && listener.transport() instanceof WebSocketTransport routed) {
      return routed.close(reason);
    }
    // Never admitted (nothing routed), or taken first by a close that has the guards (too slow,
    // session ended): Vert.x sends at most one close frame.
    return connection.isClosed() ? Uni.createFrom().voidItem() : connection.close(reason);
  }

  /**
   * A frame that breaks RFC 6455 (unmasked, reserved opcode, bad close code, invalid UTF-8 that
   * Netty caught): Netty has already dropped the connection. A client's mistake, not an error here.
   */
  @OnError
  void corrupted(CorruptedWebSocketFrameException e, WebSocketConnection connection) {
    Log.debugf("Dropped WebSocket %s: %s", connection.id(), e.getMessage());
    listeners.remove(connection.id());
  }

  /**
   * The client's TCP connection reset under the socket (its network or process gone): not an error
   * of this service, and thousands of phones leaving a tunnel would flood the log with it. Netty
   * closes such a connection; {@code @OnClose} forgets it.
   */
  @OnError
  Uni<Void> lost(SocketException e, WebSocketConnection connection) {
    Log.debugf("WebSocket %s lost: %s", connection.id(), e.toString());
    return connection.isClosed() ? Uni.createFrom().voidItem() : connection.close();
  }

  /**
   * Vert.x refuses to reassemble a message over {@code max-message-size} with an
   * IllegalStateException: that is 1009. Any other is a bug here, closed as websockets-next would.
   */
  @OnError
  Uni<Void> refused(IllegalStateException e, WebSocketConnection connection) {
    if (e.getMessage() != null && e.getMessage().startsWith("Cannot process")) {
      return drop(connection, TOO_BIG);
    }
    Log.errorf(e, "WebSocket %s failed", connection.id());
    return drop(connection, CloseReason.INTERNAL_SERVER_ERROR);
  }

  /** Nothing binary is part of the protocol: the client is not speaking it. */
  @OnBinaryMessage
  Uni<Void> binary(Buffer data, WebSocketConnection connection) {
    return drop(connection, BINARY);
  }

  @OnClose
  void close(WebSocketConnection connection) {
    listeners.remove(connection.id());
  }
}
