package dev.souq.notification.live;

import dev.souq.notification.config.NotificationConfig;
import dev.souq.shared.metrics.Gauges;
import io.micrometer.core.instrument.Gauge;
import io.netty.channel.ChannelHandlerContext;
import io.quarkus.runtime.Startup;
import io.quarkus.websockets.next.WebSocketConnection;
import jakarta.inject.Singleton;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * WebSockets this instance holds in any state, counted from their opening until their TCP
 * connection is gone: while their session is looked up and while a turned-away one waits for the
 * client to answer its close, not only once routed ({@link Listeners}). Those states cost a socket
 * about what an open one does (~12 KB of heap), and a storm of clients reopening at once whatever
 * turned them away kept 20,000 of them on a 256 MB heap and ran it out (bench/RESULTS.md). At
 * {@code notification.max-connections} the next upgrade is refused before it happens ({@link
 * UpgradeBudget}); one that got past that check as others opened is counted as well, then closed.
 */
@Singleton
@Startup // its gauge is there from the start, not from the first upgrade
class HeldSockets {
  private final AtomicInteger held = new AtomicInteger();
  private final int max;

  HeldSockets(NotificationConfig config, Gauges gauges) {
    this.max = config.maxConnections();
    gauges.register(
        Gauge.builder("souq.ws.sockets", held, AtomicInteger::get)
            .description(
                "WebSockets held on this instance: opening, open or closing (until TCP close)"));
  }

  /** WebSockets held now. */
  int held() {
    return held.get();
  }

  /** Whether this instance has room for one more: the look before an upgrade. */
  boolean room() {
    return held.get() < max;
  }

  /**
   * Counts a WebSocket that has just opened until its TCP connection closes, whatever happens to
   * it; false if that puts this instance over its cap, for the caller to close it.
   */
  boolean take(WebSocketConnection connection) {
    ChannelHandlerContext channel = SocketChannels.of(connection);
    if (channel == null) {
      return true; // no channel to watch (SocketChannels warned): uncounted, as before the cap
    }
    int now = held.incrementAndGet();
    // Fires once, at once if the connection is already gone.
    channel.channel().closeFuture().addListener(closed -> held.decrementAndGet());
    return now <= max;
  }
}
