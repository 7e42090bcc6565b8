package dev.souq.notification.live;

import dev.souq.notification.config.NotificationConfig;
import dev.souq.shared.metrics.Gauges;
import io.micrometer.core.instrument.Gauge;
import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.net.impl.ConnectionBase;
import jakarta.inject.Singleton;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * WebSockets this instance holds in any state, counted from the upgrade until their TCP connection
 * is gone: while their session is looked up and while a turned-away one waits for the client to
 * answer its close, not only once admitted ({@link Listeners}). Those states cost a socket much as
 * an open one does (~10 KB of heap), and a storm of clients reopening at once whatever turned them
 * away kept 20,000 of them on a 256 MB heap and ran it out (bench/RESULTS.md). Past {@code
 * notification.max-connections} an upgrade is refused before it costs anything.
 */
@Singleton
class HeldSockets {
  /** Set on a channel once counted: a keep-alive connection may ask to upgrade more than once. */
  private static final AttributeKey<Boolean> COUNTED = AttributeKey.valueOf("souq.held-socket");

  private final AtomicInteger held = new AtomicInteger();
  private final int max;

  HeldSockets(NotificationConfig config, Gauges gauges) {
    this.max = config.maxConnections();
    gauges.register(
        Gauge.builder("souq.ws.sockets", held, AtomicInteger::get)
            .description(
                "WebSockets held on this instance: opening, open or closing (upgrade to TCP close)"));
  }

  /** WebSockets held now. */
  int held() {
    return held.get();
  }

  /** Whether this instance has room for one more: a cheap look before the rate budget is asked. */
  boolean room() {
    return held.get() < max;
  }

  /**
   * Counts the connection asking to upgrade until its TCP connection closes; false, counting
   * nothing, if this instance holds all it takes.
   */
  boolean take(HttpConnection connection) {
    if (!(connection instanceof ConnectionBase base)) {
      return true; // Vert.x upgrades HTTP/1.1 connections only, which all are ConnectionBase
    }
    Channel channel = base.channel();
    if (channel.attr(COUNTED).setIfAbsent(Boolean.TRUE) != null) {
      return true;
    }
    if (held.incrementAndGet() > max) {
      held.decrementAndGet();
      channel.attr(COUNTED).set(null);
      return false;
    }
    // Fires once, at once if it already closed.
    channel.closeFuture().addListener(closed -> held.decrementAndGet());
    return true;
  }
}
