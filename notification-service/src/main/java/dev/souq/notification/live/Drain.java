package dev.souq.notification.live;

import dev.souq.notification.config.NotificationConfig;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A replica's orderly exit (rolling restart, scale-in). On shutdown, while the HTTP server and the
 * subscription still run (Quarkus' shutdown-delay phase, {@code quarkus.shutdown.delay-enabled}: a
 * {@code ShutdownEvent} would come after the server closed every connection), readiness turns DOWN
 * ({@code DrainReadiness}) and every live connection is ended with 1012 Service Restart (SSE: the
 * end of its stream), spread evenly over {@code notification.drain-window}: the other replicas see
 * the reconnects as a trickle, not a storm, and each client resumes from its offset wherever it
 * lands. A connection that still arrives meanwhile is ended the same way at once.
 */
@Singleton
class Drain {
  /** How long the last closes get to complete before the server goes. */
  private static final long SETTLE_NANOS = TimeUnit.SECONDS.toNanos(3);

  private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

  private final Listeners listeners;
  private final NotificationConfig config;

  Drain(Listeners listeners, NotificationConfig config) {
    this.listeners = listeners;
    this.config = config;
  }

  /** On the shutdown thread, which it holds until done: blocking here blocks no event loop. */
  void drain(@Observes ShutdownDelayInitiatedEvent event) {
    List<Listener> open = listeners.drain();
    long window = config.drainWindow().toNanos();
    Log.infof(
        "Draining: closing %d live connections with 1012 over %d ms",
        open.size(), TimeUnit.NANOSECONDS.toMillis(window));
    long start = System.nanoTime();
    for (int i = 0; i < open.size(); i++) {
      parkUntil(start + window * i / open.size());
      open.get(i).transport().end(Transport.Ending.RESTART);
    }
    long settled = System.nanoTime() + SETTLE_NANOS;
    while (listeners.count() > 0 && System.nanoTime() < settled) {
      LockSupport.parkNanos(POLL_NANOS);
    }
    Log.infof("Drained: %d live connections left", listeners.count());
  }

  private static void parkUntil(long due) {
    for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
      LockSupport.parkNanos(wait);
    }
  }
}
