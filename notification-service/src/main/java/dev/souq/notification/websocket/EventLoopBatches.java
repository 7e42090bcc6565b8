package dev.souq.notification.websocket;

import io.netty.channel.EventLoop;
import io.vertx.core.Context;
import io.vertx.core.impl.ContextInternal;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Hands writes to the event loop that owns each connection, many per hop. Events arrive on the
 * Redis subscription's thread; writing from there makes Netty post one task per message to the
 * connection's loop (a wake-up each). Queued per loop and drained by one task, a burst of events
 * costs one hop per loop, and every write then happens on the socket's own thread. Order per
 * connection is kept: one connection, one loop, one FIFO queue.
 */
final class EventLoopBatches {
  private final Map<EventLoop, Batch> batches = new ConcurrentHashMap<>();

  /** Runs {@code write} on the loop of {@code context} (the connection's, captured at open). */
  void run(Context context, Runnable write) {
    if (!(context instanceof ContextInternal internal)) {
      write.run();
      return;
    }
    EventLoop loop = internal.nettyEventLoop();
    if (loop.inEventLoop()) {
      write.run();
      return;
    }
    batches.computeIfAbsent(loop, Batch::new).add(write);
  }

  private static final class Batch {
    private final EventLoop loop;
    private final Queue<Runnable> writes = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();

    Batch(EventLoop loop) {
      this.loop = loop;
    }

    void add(Runnable write) {
      writes.add(write);
      if (scheduled.compareAndSet(false, true)) {
        loop.execute(this::drain);
      }
    }

    private void drain() {
      scheduled.set(false);
      for (Runnable write = writes.poll(); write != null; write = writes.poll()) {
        write.run();
      }
    }
  }
}
