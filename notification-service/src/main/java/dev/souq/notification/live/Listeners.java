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
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * This instance's connections by user: an event is routed to its user's connections only, in O(that
 * user's connections), whatever the number of connections.
 */
@Singleton
public class Listeners implements OrderEventSink {
  private final Map<String, List<Listener>> byUser = new ConcurrentHashMap<>();
  private final Map<String, Listener> byConnection = new ConcurrentHashMap<>();
  private final Map<String, Integer> byClient = new ConcurrentHashMap<>();
  private final AtomicInteger count = new AtomicInteger();
  private volatile boolean draining;

  /**
   * How long an announced end is remembered: a connection whose session was read just before it
   * ended may join after the announcement went by, and is ended as it joins.
   */
  private static final long REMEMBER_ENDED_NANOS = TimeUnit.SECONDS.toNanos(10);

  private final Map<String, Long> recentlyEnded = new ConcurrentHashMap<>();
  private final Queue<String> endedInOrder = new ConcurrentLinkedQueue<>();

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
    if (!takeClientSlot(listener.client(), limits.maxConnectionsPerClient())) {
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
      releaseClientSlot(listener.client());
      return Admission.USER_FULL;
    }
    byConnection.put(listener.id(), listener);
    // After joining its user's: sessionEnded either sees it there or left its mark here first.
    if (recentlyEnded.containsKey(listener.sessionId())) {
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
    count.decrementAndGet();
    releaseClientSlot(listener.client());
    byUser.computeIfPresent(
        listener.userId(),
        (user, list) -> {
          list.remove(listener);
          return list.isEmpty() ? null : list;
        });
    return listener;
  }

  private boolean takeClientSlot(String client, int max) {
    boolean[] taken = {false};
    byClient.compute(
        client,
        (c, open) -> {
          int now = open == null ? 0 : open;
          taken[0] = now < max;
          return taken[0] ? now + 1 : open;
        });
    return taken[0];
  }

  private void releaseClientSlot(String client) {
    byClient.computeIfPresent(client, (c, open) -> open <= 1 ? null : open - 1);
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
      listener.offer(frame);
    }
    if (span != null) {
      span.setAttribute("souq.ws.connections", listeners.size());
      span.end();
    }
  }

  /** Ends the session's connections on this instance, found through its user's. */
  @Override
  public void sessionEnded(String userId, String sessionId) {
    remember(sessionId);
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

  /** Marks the session ended for a while, forgetting the marks that are old (oldest first). */
  private synchronized void remember(String sessionId) {
    long now = System.nanoTime();
    for (String oldest = endedInOrder.peek(); oldest != null; oldest = endedInOrder.peek()) {
      Long at = recentlyEnded.get(oldest);
      if (at != null && now - at < REMEMBER_ENDED_NANOS) {
        break;
      }
      endedInOrder.poll();
      if (at != null) {
        recentlyEnded.remove(oldest, at);
      }
    }
    recentlyEnded.put(sessionId, now);
    endedInOrder.add(sessionId);
  }

  /** Tells every connection to re-fetch: events were lost beyond what the stream keeps. */
  @Override
  public void reloadAll() {
    Frame reload = Frame.control(Replies.RELOAD);
    for (Listener listener : byConnection.values()) {
      listener.missedLive();
      listener.control(reload);
    }
  }
}
