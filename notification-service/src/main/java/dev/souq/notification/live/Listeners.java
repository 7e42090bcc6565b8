package dev.souq.notification.live;

import dev.souq.notification.config.NotificationConfig;
import dev.souq.notification.messaging.OrderEvent;
import dev.souq.notification.messaging.OrderEventSink;
import dev.souq.shared.metrics.Gauges;
import io.micrometer.core.instrument.Gauge;
import io.opentelemetry.api.trace.Span;
import jakarta.inject.Singleton;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * This instance's connections by user: an event is routed to its user's connections only, in O(that
 * user's connections), whatever the number of connections.
 */
@Singleton
public class Listeners implements OrderEventSink {
  private final Map<String, List<Listener>> byUser = new ConcurrentHashMap<>();
  private final Map<String, Listener> byConnection = new ConcurrentHashMap<>();
  private final ClientSlots clients = new ClientSlots();
  private final AtomicInteger count = new AtomicInteger();
  private volatile boolean draining;

  /** Sessions ended lately, whose connections are ended as they join. */
  private final EndedSessions ended = new EndedSessions();

  private final DeliverySpans spans;

  Listeners(Gauges gauges, DeliverySpans spans) {
    this.spans = spans;
    gauges.register(
        Gauge.builder("souq.ws.connections", count, AtomicInteger::get)
            .description("Open live connections (WebSocket and SSE) on this instance"));
  }

  /** Whether a connection was added, or which of this instance's limits it reached. */
  enum Admission {
    ADDED,
    /** This instance holds all the connections it takes. */
    INSTANCE_FULL,
    /** The client address holds all it may. */
    CLIENT_FULL,
    /** The user holds all they may. */
    USER_FULL
  }

  /**
   * Adds the listener unless a limit of this instance is reached: connections in all, per client
   * address, per user.
   */
  Admission add(Listener listener, NotificationConfig limits) {
    if (count.incrementAndGet() > limits.maxConnections()) {
      count.decrementAndGet();
      return Admission.INSTANCE_FULL;
    }
    if (!clients.take(listener.client(), limits.maxConnectionsPerClient())) {
      count.decrementAndGet();
      return Admission.CLIENT_FULL;
    }
    int maxPerUser = limits.maxConnectionsPerUser();
    boolean[] added = {false};
    byUser.compute(
        listener.userId(),
        (user, list) -> {
          List<Listener> current = list == null ? new CopyOnWriteArrayList<>() : list;
          if (current.size() < maxPerUser) {
            current.add(listener);
            added[0] = true;
          }
          return current;
        });
    if (!added[0]) {
      count.decrementAndGet();
      clients.release(listener.client());
      return Admission.USER_FULL;
    }
    byConnection.put(listener.id(), listener);
    listener.keepAlive().start();
    // After joining its user's: sessionEnded either sees it there or marked the session in
    // `ended` first.
    if (ended.contains(listener.sessionId())) {
      listener.transport().end(Transport.Ending.SESSION_ENDED);
    } else if (draining) {
      // After joining: drain() either saw it among all or had set the flag first.
      listener.transport().end(Transport.Ending.RESTART);
    }
    return Admission.ADDED;
  }

  /**
   * From now on every connection that joins is ended with {@link Transport.Ending#RESTART} at once;
   * returns those already here, for the caller to end over time.
   */
  List<Listener> drain() {
    draining = true;
    return List.copyOf(byConnection.values());
  }

  /** Whether this instance is on its way out ({@link #drain}). */
  boolean draining() {
    return draining;
  }

  /** Connections open on this instance. */
  int count() {
    return count.get();
  }

  /** Removes a connection; false if it was not there (any more). */
  boolean remove(String connectionId) {
    return take(connectionId) != null;
  }

  /** Removes a connection and returns it; null if it was not there (any more). */
  Listener take(String connectionId) {
    Listener listener = byConnection.remove(connectionId);
    if (listener == null) {
      return null;
    }
    listener.keepAlive().stop();
    count.decrementAndGet();
    clients.release(listener.client());
    byUser.computeIfPresent(
        listener.userId(),
        (user, list) -> {
          list.remove(listener);
          return list.isEmpty() ? null : list;
        });
    return listener;
  }

  Listener get(String connectionId) {
    return byConnection.get(connectionId);
  }

  /** Every connection, e.g. to check their sessions. */
  Collection<Listener> all() {
    return byConnection.values();
  }

  /** Routes a live event to its user's connections on this instance. */
  @Override
  public void deliver(OrderEvent event) {
    List<Listener> listeners = byUser.get(event.userId());
    if (listeners == null) {
      return;
    }
    // Only where the user has connections: every replica gets every event.
    Span span = spans.route(event);
    // Encoded once, the same bytes for every connection of the user.
    Frame frame = Frame.update(event, span == null ? null : span.getSpanContext());
    for (Listener listener : listeners) {
      listener.sequence().offer(frame);
    }
    if (span != null) {
      span.setAttribute("souq.ws.connections", listeners.size());
      span.end();
    }
  }

  /** Ends the session's connections on this instance, found through its user's. */
  @Override
  public void sessionEnded(String userId, String sessionId) {
    ended.remember(sessionId);
    List<Listener> listeners = byUser.get(userId);
    if (listeners != null) {
      for (Listener listener : listeners) {
        if (listener.sessionId().equals(sessionId)) {
          listener.transport().end(Transport.Ending.SESSION_ENDED);
        }
      }
    }
  }

  /** Whether a connection of this session is here. */
  boolean watching(String userId, String sessionId) {
    List<Listener> listeners = byUser.get(userId);
    if (listeners != null) {
      for (Listener listener : listeners) {
        if (listener.sessionId().equals(sessionId)) {
          return true;
        }
      }
    }
    return false;
  }

  /** Tells every connection to re-fetch: events were lost beyond what the stream keeps. */
  @Override
  public void reloadAll() {
    Frame reload = Frame.control(Replies.RELOAD);
    for (Listener listener : byConnection.values()) {
      listener.sequence().missedLive();
      listener.sequence().control(reload);
    }
  }
}
