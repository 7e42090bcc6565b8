package dev.souq.notification.live;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A tab as the page behaves on a rolling restart: when the server closes with 1012 it reconnects at
 * once, to whichever replica the balancer names, and resumes from the last offset it saw. Turned
 * away with 1013 (its session not read in time on a busy replica), it tries again after a moment,
 * as the page does; on the replica it was on, as a balancer keeping the test's split of tabs would.
 */
final class RoamingBrowser {
  private static final Vertx VERTX = Vertx.vertx();
  // Vert.x queues connections to one host past 50 by default; a test here holds a thousand.
  private static final WebSocketClient CLIENT =
      VERTX.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(4096));

  private final String session;
  private final Supplier<URI> balancer;
  private final List<String> offsets = new CopyOnWriteArrayList<>();
  private final List<Short> closes = new CopyOnWriteArrayList<>();
  private final AtomicInteger refusals = new AtomicInteger();
  private volatile URI on;
  private volatile WebSocket socket;
  private volatile long restartedAtNanos;
  private volatile long backAtNanos;
  private volatile boolean stopped;

  private RoamingBrowser(String session, Supplier<URI> balancer) {
    this.session = session;
    this.balancer = balancer;
  }

  /** Opens {@code /ws/orders} on {@code base}; completes once the socket is open. */
  static Future<RoamingBrowser> open(URI base, String session, Supplier<URI> balancer) {
    RoamingBrowser browser = new RoamingBrowser(session, balancer);
    return browser.connect(base).map(browser);
  }

  private Future<WebSocket> connect(URI base) {
    // As the page does: the resume rides on the upgrade, so no live update can overtake a replay.
    String since = offsets.isEmpty() ? null : offsets.get(offsets.size() - 1);
    WebSocketConnectOptions options =
        new WebSocketConnectOptions()
            .setHost(base.getHost())
            .setPort(base.getPort())
            .setURI(since == null ? "/ws/orders" : "/ws/orders?since=" + since)
            .addHeader("Cookie", "SOUQ_SESSION=" + session);
    return CLIENT
        .connect(options)
        .onSuccess(
            opened -> {
              // On the socket's event loop, before it reads a frame.
              on = base;
              socket = opened;
              opened.textMessageHandler(this::received);
              opened.closeHandler(v -> closed(opened));
              if (since != null) {
                backAtNanos = System.nanoTime();
              }
            });
  }

  private void received(String text) {
    JsonObject message = new JsonObject(text);
    if ("order_update".equals(message.getString("type"))) {
      offsets.add(message.getString("offset"));
    }
  }

  private void closed(WebSocket closed) {
    Short code = closed.closeStatusCode();
    if (code != null && code == 1013) {
      refusals.incrementAndGet();
      retry(on);
      return;
    }
    closes.add(code == null ? -1 : code);
    if (code != null && code == 1012 && !stopped) {
      restartedAtNanos = System.nanoTime();
      connect(balancer.get()).onFailure(failure -> retry(balancer.get()));
    }
  }

  /**
   * Connects to {@code base} after the page's first back-off, again until it succeeds or closes.
   */
  private void retry(URI base) {
    if (stopped) {
      return;
    }
    VERTX.setTimer(
        250 + ThreadLocalRandom.current().nextInt(250),
        id -> {
          if (!stopped) {
            connect(base).onFailure(failure -> retry(base));
          }
        });
  }

  /** The replica it is connected to (or was last). */
  URI on() {
    return on;
  }

  /** Whether its socket is open. */
  boolean open() {
    WebSocket current = socket;
    return current != null && !current.isClosed();
  }

  /** The offsets of the updates it received, in order, across its connections. */
  List<String> offsets() {
    return List.copyOf(offsets);
  }

  /** How many times a replica turned it away with 1013 (try again), each followed by a retry. */
  int refusals() {
    return refusals.get();
  }

  /** The close codes the server sent it, but for 1013 (try again). */
  List<Short> closes() {
    return List.copyOf(closes);
  }

  /** When the server closed it with 1012 ({@link System#nanoTime}), 0 if never. */
  long restartedAtNanos() {
    return restartedAtNanos;
  }

  /** When it was open again and resumed after a 1012, 0 if never. */
  long backAtNanos() {
    return backAtNanos;
  }

  /** Closes its socket; it connects no more. */
  void close() {
    stopped = true;
    WebSocket current = socket;
    if (current != null && !current.isClosed()) {
      current.close();
    }
  }
}
