package dev.souq.notification.live;

import dev.souq.notification.config.NotificationConfig;
import dev.souq.notification.messaging.OrderEvent;
import dev.souq.notification.messaging.StreamId;
import dev.souq.shared.session.Session;
import io.vertx.core.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * One browser connection, WebSocket or SSE: whose it is, what it has been sent, and its bounded
 * send queue. Live events and a replay may reach it from different threads, so its state is guarded
 * by its monitor. Every event goes out at most once and in offset order: whatever is not after the
 * last offset sent is dropped, and while a replay runs, live events wait in a buffer.
 *
 * <p>Lock order: this monitor is taken last. Live events arrive with {@code
 * OrderUpdatesSubscriber}'s monitor held; under this one nothing takes another Souq lock ({@link
 * Delivery#write} only counts and queues the frame for the connection's event loop).
 */
final class Listener {
  private final Context context;
  private final String userId;
  private final String sessionId;
  private final String client;
  private final int maxQueued;
  private final Delivery delivery;
  private final MessageBudget budget;
  private final AtomicInteger queued = new AtomicInteger();
  private final Transport transport;
  private StreamId lastSent;
  private List<Frame> held;

  /**
   * Until its first resume: the first live update sent (null: none yet). Live routing is in offset
   * order and reaches every connection from the moment it is registered, so every one of the user's
   * updates from this one on was sent live, and a late resume replays only what is older. One
   * offset per connection, where a set of every offset sent held objects in the old generation for
   * each delivery (and young collections had to trace them).
   */
  private StreamId firstSentLive;

  /** Whether the first resume is yet to come: until then, {@link #firstSentLive} is kept. */
  private boolean beforeFirstResume = true;

  /**
   * Live updates were lost to this connection (the shared stream trimmed): a resume is not whole.
   */
  private boolean missedLive;

  private volatile boolean dropped;
  private long resumedAt;
  private boolean everResumed;

  /** Written to in the current burst, flush pending; only the connection's event loop uses it. */
  private boolean unflushed;

  /**
   * @param transport makes the connection's transport, given what hears its writes
   */
  Listener(
      Function<Transport.Written, Transport> transport,
      Context context,
      String userId,
      String sessionId,
      String client,
      int maxQueued,
      Delivery delivery,
      MessageBudget budget) {
    this.context = context;
    this.userId = userId;
    this.sessionId = sessionId;
    this.client = client;
    this.maxQueued = maxQueued;
    this.delivery = delivery;
    this.budget = budget;
    this.transport = transport.apply(this::written);
  }

  /**
   * The connection of {@code session}'s user from {@code client} (its address), with the send queue
   * and message budget {@code config} gives every connection.
   */
  static Listener of(
      Function<Transport.Written, Transport> transport,
      Context context,
      Session session,
      String client,
      NotificationConfig config,
      Delivery delivery) {
    return new Listener(
        transport,
        context,
        session.userId(),
        session.sessionId(),
        client,
        config.sendQueue(),
        delivery,
        new MessageBudget(config.clientMessages()));
  }

  /** What the client may still send before it counts as flooding. */
  MessageBudget budget() {
    return budget;
  }

  String userId() {
    return userId;
  }

  String sessionId() {
    return sessionId;
  }

  /** The client's address (IPv4, or IPv6 /64), for the per-client connection cap. */
  String client() {
    return client;
  }

  /** The connection's id, unique on this instance. */
  String id() {
    return transport.id();
  }

  /** The Vert.x context of the connection's event loop, where its writes belong. */
  Context context() {
    return context;
  }

  /** Where the connection's frames are written (on its event loop). */
  Transport transport() {
    return transport;
  }

  /** Notes a write awaiting the burst's flush; false if one was already noted. Event loop only. */
  boolean markUnflushed() {
    if (unflushed) {
      return false;
    }
    unflushed = true;
    return true;
  }

  /** The burst's flush is under way. Event loop only. */
  void flushed() {
    unflushed = false;
  }

  /** A live event, its frame shared with the user's other connections: sent now, or held. */
  synchronized void offer(Frame event) {
    if (held != null) {
      held.add(event);
      return;
    }
    send(event);
    if (beforeFirstResume && firstSentLive == null) {
      firstSentLive = event.offset();
    }
  }

  /** Live updates never reached this connection: its next resume answers reload. */
  synchronized void missedLive() {
    missedLive = true;
  }

  /** Whether a resume may start now, at most one per interval; if so, it counts from now. */
  synchronized boolean mayResume(long intervalNanos) {
    long now = System.nanoTime();
    if (everResumed && now - resumedAt < intervalNanos) {
      return false;
    }
    everResumed = true;
    resumedAt = now;
    return true;
  }

  /** Starts a replay: live events are held back until {@link #resumed}. False if one runs. */
  synchronized boolean startReplay() {
    if (held != null) {
      return false;
    }
    held = new ArrayList<>();
    return true;
  }

  /**
   * A replayed event. A client that asked late may have had some events live already: those are not
   * sent twice.
   */
  synchronized void replay(OrderEvent event) {
    if (held == null) {
      return; // its replay already ended (timed out): what it held has gone out since
    }
    boolean missed =
        beforeFirstResume
            ? firstSentLive == null || firstSentLive.after(event.offset())
            : event.offset().after(lastSent);
    if (missed) {
      write(Frame.replayed(event));
    }
  }

  /**
   * Ends a replay, then sends what was held, in order. It says {@code resumed} if the replay was
   * {@code complete} and nothing before it was left out, else {@code reload}; returns which.
   */
  synchronized boolean resumed(boolean complete) {
    boolean whole = complete && !missedLive;
    missedLive = false;
    delivery.write(this, Frame.control(whole ? Replies.RESUMED : Replies.RELOAD));
    List<Frame> waiting = held;
    held = null;
    beforeFirstResume = false;
    if (waiting != null) {
      waiting.forEach(this::send);
    }
    return whole;
  }

  /** A control message (reload, an error), in order with the events. */
  synchronized void control(Frame message) {
    delivery.write(this, message);
  }

  private void send(Frame event) {
    if (event.offset().after(lastSent)) {
      write(event);
    }
  }

  private void write(Frame event) {
    if (lastSent == null || event.offset().after(lastSent)) {
      lastSent = event.offset();
    }
    delivery.write(this, event);
  }

  /** Messages in the send queue: handed to the transport, not yet taken by the socket. */
  int queued() {
    return queued.get();
  }

  /** Counts a message into the send queue; false (and the client is dropped) if it is full. */
  boolean enqueue() {
    if (dropped) {
      return false;
    }
    if (queued.incrementAndGet() > maxQueued) {
      dropped = true;
      return false;
    }
    return true;
  }

  /** A message left the send queue: written to the socket, or failed. */
  private void written(boolean success) {
    queued.decrementAndGet();
    if (success) {
      delivery.delivered();
    }
  }
}
