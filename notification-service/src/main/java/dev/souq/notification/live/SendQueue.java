package dev.souq.notification.live;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A connection's bounded send queue, counted: messages handed to its transport and not yet taken by
 * the socket. A client that lets it fill is dropped, so a reader that stopped cannot make the
 * server hold its messages without end.
 */
final class SendQueue {
  private final int max;
  private final AtomicInteger queued = new AtomicInteger();
  private volatile boolean dropped;

  SendQueue(int max) {
    this.max = max;
  }

  /** Messages in the queue. */
  int size() {
    return queued.get();
  }

  /** Counts a message in; false (and from then on always false) if the queue is full. */
  boolean enqueue() {
    if (dropped) {
      return false;
    }
    if (queued.incrementAndGet() > max) {
      dropped = true;
      return false;
    }
    return true;
  }

  /** A message left the queue: written to the socket, or failed. */
  void left() {
    queued.decrementAndGet();
  }
}
