package dev.souq.notification.live;

import dev.souq.notification.config.NotificationConfig;
import dev.souq.shared.session.Session;
import io.vertx.core.Context;
import java.time.Duration;
import java.util.function.Function;

/**
 * One browser connection, WebSocket or SSE: whose it is, what it has been sent ({@link Sequence}:
 * every event at most once, in offset order, across live delivery and replays) and its bounded send
 * queue ({@link SendQueue}).
 */
final class Listener {
  private final Context context;
  private final String userId;
  private final String sessionId;
  private final String client;
  private final Delivery delivery;
  private final MessageBudget budget;
  private final SendQueue queue;
  private final Transport transport;
  private final Sequence sequence;
  private final KeepAlive keepAlive;

  /** Written to in the current burst, flush pending; only the connection's event loop uses it. */
  private boolean unflushed;

  /**
   * @param transport makes the connection's transport, given what hears its writes
   * @param keepAliveMs how long it goes without a write before a keep-alive ({@link KeepAlive}); 0:
   *     never
   */
  Listener(
      Function<Transport.Written, Transport> transport,
      Context context,
      String userId,
      String sessionId,
      String client,
      int maxQueued,
      long keepAliveMs,
      Delivery delivery,
      MessageBudget budget) {
    this.context = context;
    this.userId = userId;
    this.sessionId = sessionId;
    this.client = client;
    this.queue = new SendQueue(maxQueued);
    this.delivery = delivery;
    this.budget = budget;
    this.transport = transport.apply(this::written);
    this.sequence = new Sequence(frame -> delivery.write(this, frame));
    this.keepAlive = new KeepAlive(context, this.transport, keepAliveMs);
  }

  /**
   * The connection of {@code session}'s user from {@code client} (its address), with the send queue
   * and message budget {@code config} gives every connection, sent a keep-alive once quiet for
   * {@code keepAlive}.
   */
  static Listener of(
      Function<Transport.Written, Transport> transport,
      Context context,
      Session session,
      String client,
      NotificationConfig config,
      Duration keepAlive,
      Delivery delivery) {
    return new Listener(
        transport,
        context,
        session.userId(),
        session.sessionId(),
        client,
        config.sendQueue(),
        keepAlive.toMillis(),
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
    keepAlive.sent();
  }

  /** Keeps the connection from going quiet while it is routed ({@link Listeners}). */
  KeepAlive keepAlive() {
    return keepAlive;
  }

  /** What the connection has been sent: live events, replays and control messages go through it. */
  Sequence sequence() {
    return sequence;
  }

  /** Messages in the send queue: handed to the transport, not yet taken by the socket. */
  int queued() {
    return queue.size();
  }

  /** Counts a message into the send queue; false (and the client is dropped) if it is full. */
  boolean enqueue() {
    return queue.enqueue();
  }

  /** A message left the send queue: written to the socket, or failed. */
  private void written(boolean success) {
    queue.left();
    if (success) {
      delivery.delivered();
    }
  }
}
