package dev.souq.notification.live;

import dev.souq.notification.config.NotificationConfig;
import dev.souq.notification.messaging.SubscriptionLive;
import dev.souq.shared.redis.Deadline;
import dev.souq.shared.session.WatchedSession;
import dev.souq.shared.session.WatchedSessions;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Ends connections whose session ended by itself. An end that order-service announces on {@code
 * session_ended} is handled at once by {@link Listeners}; an expiry is announced by nobody, so each
 * watched session is looked at again when its key would expire unless used (its TTL read as the
 * connection opened): every {@value #TICK_MS} ms the sessions then due are asked in one pipelined
 * round trip, and an expired one's connections end within a second. A session still in use has its
 * TTL renewed meanwhile and is looked at again when the new one runs out. All connections' sessions
 * are checked as well every {@code notification.session-check-interval}, the net under both for an
 * announcement lost, and each time the subscription goes live, which loses those made while it was
 * down ({@link SubscriptionLive}).
 */
@Singleton
class SessionWatch {
  static final long TICK_MS = 250;

  /**
   * When to look at a watched session again, and whose it is. Compared by identity (not a record):
   * a check removes or replaces only the entry it looked at, never one put since.
   */
  private static final class Due {
    private final String userId;
    private final long atNanos;

    Due(String userId, long atNanos) {
      this.userId = userId;
      this.atNanos = atNanos;
    }

    String userId() {
      return userId;
    }

    long atNanos() {
      return atNanos;
    }
  }

  private final Map<String, Due> due = new ConcurrentHashMap<>();
  private final AtomicBoolean asking = new AtomicBoolean();
  private final Listeners listeners;
  private final WatchedSessions sessions;
  private final NotificationConfig config;
  private final Vertx vertx;
  private long everything = -1;
  private long ticks = -1;

  SessionWatch(
      Listeners listeners, WatchedSessions sessions, NotificationConfig config, Vertx vertx) {
    this.listeners = listeners;
    this.sessions = sessions;
    this.config = config;
    this.vertx = vertx;
  }

  void start(@Observes StartupEvent event) {
    everything = vertx.setPeriodic(config.sessionCheckInterval().toMillis(), id -> checkAll());
    ticks = vertx.setPeriodic(TICK_MS, id -> checkDue());
  }

  void stop(@Observes ShutdownEvent event) {
    if (everything >= 0) {
      vertx.cancelTimer(everything);
      vertx.cancelTimer(ticks);
    }
  }

  /**
   * The session of a connection about to open, read without renewing it; null if none. Fails with a
   * TimeoutException after {@link #LOOKUP_TIMEOUT}: the client's Redis commands have no deadline of
   * their own, and on a connection gone silent an opening connection would wait for ever.
   */
  Uni<WatchedSession> read(String sessionId) {
    return Deadline.withinCancelling(sessions.peek(sessionId), config.sessionLookupTimeout());
  }

  /**
   * Adds the connection to this instance's ({@link Listeners#add}) and, once it is in, watches its
   * session as it was read for it.
   */
  Listeners.Admission admit(Listener listener, WatchedSession watched, NotificationConfig limits) {
    Listeners.Admission admission = listeners.add(listener, limits);
    if (admission == Listeners.Admission.ADDED) {
      watch(watched);
    }
    return admission;
  }

  private void watch(WatchedSession watched) {
    if (watched.expiresInMs() < 0) {
      return; // no expiry: only an announced end or the periodic check ends it
    }
    Due next =
        new Due(
            watched.session().userId(),
            System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(watched.expiresInMs()));
    // Several connections of one session: the earliest look counts. Always a new entry, so that
    // a check deciding about the old one (looked) cannot remove this connection's.
    due.merge(
        watched.session().sessionId(),
        next,
        (old, fresh) -> new Due(fresh.userId(), Math.min(old.atNanos(), fresh.atNanos())));
  }

  private void checkDue() {
    long now = System.nanoTime();
    List<String> ids = new ArrayList<>();
    due.forEach(
        (id, when) -> {
          if (when.atNanos() <= now) {
            ids.add(id);
          }
        });
    if (ids.isEmpty() || !asking.compareAndSet(false, true)) {
      return; // nothing due, or the last tick's question is still out
    }
    sessions
        .timeLeft(ids)
        // A reply that never comes must not stop every later look.
        .ifNoItem()
        .after(Duration.ofSeconds(2))
        .fail()
        .subscribe()
        .with(
            left -> {
              asking.set(false);
              left.forEach(this::looked);
            },
            failure -> {
              asking.set(false);
              Log.debugf("Session expiry check skipped: %s", failure.toString());
              // Redis away: ask again in a second, not at every tick.
              long later = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
              ids.forEach(id -> due.computeIfPresent(id, (i, d) -> new Due(d.userId(), later)));
            });
  }

  /** What the check of one due session found: gone, renewed, or no longer watched. */
  private void looked(String sessionId, long leftMs) {
    Due was = due.get(sessionId);
    if (was == null) {
      return;
    }
    if (leftMs == -2) {
      due.remove(sessionId, was);
      listeners.sessionEnded(was.userId(), sessionId);
    } else if (leftMs < 0 || !listeners.watching(was.userId(), sessionId)) {
      due.remove(sessionId, was);
    } else {
      due.replace(
          sessionId,
          was,
          new Due(was.userId(), System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(leftMs)));
    }
  }

  /**
   * Ends announced while the subscription was down were not heard: every session, now, and once
   * more a second later if Redis fails this check (it has just come back).
   */
  void subscriptionLive(@Observes SubscriptionLive event) {
    checkAll(() -> vertx.setTimer(1000, id -> checkAll(() -> {})));
  }

  private void checkAll() {
    checkAll(() -> {});
  }

  private void checkAll(Runnable failed) {
    List<Listener> open = List.copyOf(listeners.all());
    sessions
        .timeLeft(open.stream().map(Listener::sessionId).distinct().toList())
        .subscribe()
        .with(
            left -> {
              for (Listener listener : open) {
                if (left.get(listener.sessionId()) == -2) {
                  listener.transport().end(Transport.Ending.SESSION_ENDED);
                }
              }
            },
            failure -> {
              Log.debugf("Session check skipped: %s", failure.toString());
              failed.run();
            });
  }
}
