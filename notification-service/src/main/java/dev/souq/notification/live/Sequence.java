package dev.souq.notification.live;

import dev.souq.notification.messaging.OrderEvent;
import dev.souq.notification.messaging.StreamId;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * What one connection has been sent, so that every event goes out at most once and in offset order:
 * whatever is not after the last offset sent is dropped, and while a replay runs, live events wait
 * in a buffer. Live events and a replay may reach it from different threads, so its state is
 * guarded by its monitor.
 *
 * <p>Lock order: this monitor is taken last. Live events arrive with {@code
 * OrderUpdatesSubscriber}'s monitor held; under this one nothing takes another Souq lock (its
 * output, {@link Delivery#write}, only counts and queues the frame for the connection's event
 * loop).
 */
final class Sequence {
  private final Consumer<Frame> out;
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

  private long resumedAt;
  private boolean everResumed;

  /** {@code out} writes a frame to the connection. */
  Sequence(Consumer<Frame> out) {
    this.out = out;
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
    out.accept(Frame.control(whole ? Replies.RESUMED : Replies.RELOAD));
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
    out.accept(message);
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
    out.accept(event);
  }
}
