package dev.souq.notification.live;

import dev.souq.notification.metrics.NotificationMetrics;
import io.netty.channel.EventLoop;
import io.opentelemetry.api.trace.Span;
import io.vertx.core.Context;
import io.vertx.core.impl.ContextInternal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Hands frames to the event loop that owns each connection, many per hop, and flushes each
 * connection once per burst. Events arrive on the Redis subscription's thread (or a replay's);
 * writing from there made Netty post one task per message to the connection's loop (a wake-up
 * each), and flushing every frame cost a syscall per message. Queued per loop and drained by one
 * task, a burst of events costs one hop per loop and one flush per connection, and every write
 * happens on the socket's own thread. Writes for a connection on the current loop are queued too,
 * so a burst read from Redis in one go is flushed once, after it. Order per connection is kept: one
 * connection, one loop, one FIFO queue. The first write of a live update times publish → frame; a
 * traced update gets one span per loop that wrote it.
 */
final class EventLoopBatches {
  private final Map<EventLoop, Batch> batches = new ConcurrentHashMap<>();
  private final NotificationMetrics metrics;
  private final DeliverySpans spans;

  EventLoopBatches(NotificationMetrics metrics, DeliverySpans spans) {
    this.metrics = metrics;
    this.spans = spans;
  }

  /**
   * Writes {@code frame} to {@code listener} on the loop of its connection, flushed with a burst.
   */
  void write(Listener listener, Frame frame) {
    Context context = listener.context();
    if (!(context instanceof ContextInternal internal)) {
      if (frame.firstWrite()) {
        metrics.publishedToFrame(frame.offset().millis());
      }
      listener.transport().write(frame);
      listener.transport().flush();
      return;
    }
    batches.computeIfAbsent(internal.nettyEventLoop(), Batch::new).add(new Write(listener, frame));
  }

  private record Write(Listener listener, Frame frame) {}

  private final class Batch {
    private final EventLoop loop;
    private final Queue<Write> writes = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();

    /** Connections written to in this drain and not yet flushed; only the loop touches it. */
    private final List<Listener> unflushed = new ArrayList<>();

    Batch(EventLoop loop) {
      this.loop = loop;
    }

    void add(Write write) {
      writes.add(write);
      if (scheduled.compareAndSet(false, true)) {
        loop.execute(this::drain);
      }
    }

    private void drain() {
      scheduled.set(false);
      Map<Frame, Span> traced = null;
      for (Write write = writes.poll(); write != null; write = writes.poll()) {
        Listener listener = write.listener();
        Frame frame = write.frame();
        if (frame.firstWrite()) {
          metrics.publishedToFrame(frame.offset().millis());
        }
        if (frame.routed() != null) {
          if (traced == null) {
            traced = new HashMap<>();
          }
          traced.computeIfAbsent(frame, f -> spans.write(f.routed()));
        }
        listener.transport().write(frame);
        if (listener.markUnflushed()) {
          unflushed.add(listener);
        }
      }
      for (Listener listener : unflushed) {
        listener.flushed();
        listener.transport().flush();
      }
      unflushed.clear();
      if (traced != null) {
        traced.values().forEach(Span::end);
      }
    }
  }
}
