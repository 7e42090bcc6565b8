package dev.souq.notification.live;

import dev.souq.notification.metrics.NotificationMetrics;
import io.quarkus.logging.Log;
import jakarta.inject.Singleton;

/**
 * Writes to a connection through its bounded send queue: a message counts until the socket took it;
 * when a connection has too many waiting (the client stopped reading), it is closed instead of
 * buffering without bound.
 */
@Singleton
class Delivery {
  private final NotificationMetrics metrics;
  private final Listeners listeners;
  private final EventLoopBatches loops;

  Delivery(NotificationMetrics metrics, Listeners listeners, DeliverySpans spans) {
    this.metrics = metrics;
    this.listeners = listeners;
    this.loops = new EventLoopBatches(metrics, spans);
  }

  void write(Listener listener, Frame frame) {
    if (!listener.enqueue()) {
      drop(listener);
      return;
    }
    loops.write(listener, frame);
  }

  /** A frame reached a connection's socket. */
  void delivered() {
    metrics.delivered();
  }

  /**
   * Stops routing to the connection at once and closes it (its close frame may wait behind the
   * unread data: the transport lets go of the TCP connection all the same).
   */
  private void drop(Listener listener) {
    if (listeners.remove(listener.id())) {
      Log.debugf("Closing connection %s of user %s: too slow", listener.id(), listener.userId());
      metrics.dropped();
      listener.transport().end(Transport.Ending.TOO_SLOW);
    }
  }
}
