package dev.souq.notification.live;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** A WebSocket client as a browser tab would be: connects to /ws/orders, keeps what it receives. */
final class Browser implements LiveClient {
  private static final Vertx VERTX = Vertx.vertx();

  private final WebSocket socket;
  private final List<JsonObject> received = new CopyOnWriteArrayList<>();
  private volatile Short closeCode;
  private final AtomicInteger pongs = new AtomicInteger();

  private Browser(WebSocket socket) {
    this.socket = socket;
    try {
      socket.textMessageHandler(text -> received.add(new JsonObject(text)));
      socket.closeHandler(v -> closeCode = code(socket));
      socket.pongHandler(data -> pongs.incrementAndGet());
    } catch (IllegalStateException alreadyClosed) {
      // The server closed it right after the handshake (e.g. 1008), before we got here.
      closeCode = code(socket);
    }
  }

  private static short code(WebSocket socket) {
    return socket.closeStatusCode() == null ? -1 : socket.closeStatusCode();
  }

  /**
   * Opens {@code /ws/orders} on {@code base} (http://host:port) with the session cookie, query and
   * extra headers (name, value, …).
   */
  static Browser open(URI base, String session, String query, String... headers) {
    WebSocketConnectOptions options =
        new WebSocketConnectOptions()
            .setHost(base.getHost())
            .setPort(base.getPort())
            .setURI("/ws/orders" + (query == null ? "" : "?" + query));
    if (session != null) {
      options.addHeader("Cookie", "SOUQ_SESSION=" + session);
    }
    for (int i = 0; i + 1 < headers.length; i += 2) {
      options.addHeader(headers[i], headers[i + 1]);
    }
    WebSocketClient client = VERTX.createWebSocketClient();
    try {
      // Handlers go on in the connect callback, on the socket's event loop, before it reads a
      // frame: a reply the server sends at once (resumed after ?since=) is not lost to a test
      // thread that sets them a moment too late.
      return client
          .connect(options)
          .map(Browser::new)
          .toCompletionStage()
          .toCompletableFuture()
          .get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("Cannot open /ws/orders", e);
    }
  }

  void send(String text) {
    socket.writeTextMessage(text);
  }

  /** Sends a ping: the server answers it with a pong as it reads it, after what came before. */
  void ping() {
    socket.writePing(Buffer.buffer("ping"));
  }

  int pongs() {
    return pongs.get();
  }

  /** The client's own TCP port. */
  int localPort() {
    return socket.localAddress().port();
  }

  @Override
  public void stopReading() {
    socket.pause();
  }

  List<JsonObject> received() {
    return List.copyOf(received);
  }

  @Override
  public List<JsonObject> updates() {
    return received.stream().filter(m -> "order_update".equals(m.getString("type"))).toList();
  }

  /** The close code the server sent, or null while open. */
  Short closeCode() {
    return closeCode;
  }

  @Override
  public void close() {
    if (closeCode == null) {
      socket.close();
    }
  }
}
