package dev.souq.notification.live;

import io.vertx.core.Context;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Keeps one connection open through proxies and load balancers, which commonly cut a flow after 60
 * s of silence: {@link Transport#keepAlive} (a WebSocket ping, an SSE comment) once it has been
 * sent nothing for a while, as SignalR's keep-alive works, so a connection sent updates more often
 * gets none. That while is the connection's own, drawn between half the interval and all of it:
 * connections opened or written to together (a reconnect storm, each resumed at once) are pinged at
 * spread times. websockets-next's auto-ping pinged connections opened in the same seconds in one
 * burst every interval, which held back the updates sent meanwhile (bench/RESULTS.md, 2026-12-08).
 * Its state is confined to the connection's event loop.
 */
final class KeepAlive {
  private final Context context;
  private final Transport transport;

  /** How long the connection may go without a write: in (interval / 2, interval]. */
  private final long quietNanos;

  /** When the connection was last sent something. Event loop only, as the fields below. */
  private long lastSent;

  private boolean stopped;
  private long timer = -1;

  /** For {@code transport}, on the event loop of {@code context}; {@code intervalMs} ≤ 0: none. */
  KeepAlive(Context context, Transport transport, long intervalMs) {
    this.context = context;
    this.transport = transport;
    long interval = TimeUnit.MILLISECONDS.toNanos(intervalMs);
    this.quietNanos =
        interval <= 0 ? 0 : interval - ThreadLocalRandom.current().nextLong((interval + 1) / 2);
  }

  /** Starts keeping it alive; from any thread. */
  void start() {
    if (quietNanos > 0) {
      context.runOnContext(
          v -> {
            lastSent = System.nanoTime();
            check();
          });
    }
  }

  /** Stops, once the connection is no longer routed; from any thread. */
  void stop() {
    if (quietNanos > 0) {
      context.runOnContext(
          v -> {
            stopped = true;
            context.owner().cancelTimer(timer);
          });
    }
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
    if (now - lastSent >= quietNanos) {
      transport.keepAlive();
      lastSent = now;
    }
    long waitMs = TimeUnit.NANOSECONDS.toMillis(lastSent + quietNanos - now) + 1;
    // Called on the connection's event loop, so the timer runs there too.
    timer = context.owner().setTimer(waitMs, id -> check());
  }
}
