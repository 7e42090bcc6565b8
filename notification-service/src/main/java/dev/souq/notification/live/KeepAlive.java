package dev.souq.notification.live;

import io.vertx.core.Context;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Keeps one connection from going quiet for longer than an interval, so that proxies and load
 * balancers, which commonly cut a flow after 60 s of silence, keep it open: {@link
 * Transport#keepAlive} (a WebSocket ping, an SSE comment) once the connection has been sent nothing
 * for the interval. As SignalR's keep-alive, a connection that is sent messages more often gets
 * none. The first comes at a random point of the first interval, so connections opened together (a
 * reconnect storm after a restart) are not all pinged in the same second of every interval: the
 * bursts of thousands of pings that websockets-next's auto-ping sent that way held back the live
 * updates sent meanwhile (bench/RESULTS.md, 2026-12-08). Its state is confined to the connection's
 * event loop.
 */
final class KeepAlive {
  private final Context context;
  private final Transport transport;
  private final long intervalNanos;

  /** When the connection was last sent something. Event loop only, as the fields below. */
  private long lastSent;

  private boolean stopped;
  private long timer = -1;

  /** For {@code transport}, on the event loop of {@code context}; {@code intervalMs} ≤ 0: none. */
  KeepAlive(Context context, Transport transport, long intervalMs) {
    this.context = context;
    this.transport = transport;
    this.intervalNanos = TimeUnit.MILLISECONDS.toNanos(intervalMs);
  }

  /** Starts keeping it alive; from any thread. */
  void start() {
    if (intervalNanos > 0) {
      context.runOnContext(
          v -> {
            // As if last sent up to an interval ago: the first keep-alive falls anywhere in it.
            lastSent = System.nanoTime() - ThreadLocalRandom.current().nextLong(intervalNanos);
            check();
          });
    }
  }

  /** Stops, once the connection is no longer routed; from any thread. */
  void stop() {
    context.runOnContext(
        v -> {
          stopped = true;
          context.owner().cancelTimer(timer);
        });
  }

  /** The connection was sent something; on its event loop. */
  void sent() {
    lastSent = System.nanoTime();
  }

  private void check() {
    if (stopped || transport.isClosed()) {
      return;
    }
    long now = System.nanoTime();
    if (now - lastSent >= intervalNanos) {
      transport.keepAlive();
      lastSent = now;
    }
    long waitMs = TimeUnit.NANOSECONDS.toMillis(lastSent + intervalNanos - now);
    // On the connection's event loop, so the timer runs there too.
    timer = context.owner().setTimer(Math.max(1, waitMs + 1), id -> check());
  }
}
