package dev.souq.notification.live;

import dev.souq.notification.config.NotificationConfig;
import dev.souq.shared.session.SessionStore;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.util.List;

/**
 * Ends connections whose session ended (logout, expiry), a WebSocket with 1008, checking all of
 * them in one pipelined round trip every {@code notification.session-check-interval}.
 */
@Singleton
class SessionWatch {
  private final Listeners listeners;
  private final SessionStore sessions;
  private final NotificationConfig config;
  private final Vertx vertx;
  private long timer = -1;

  SessionWatch(Listeners listeners, SessionStore sessions, NotificationConfig config, Vertx vertx) {
    this.listeners = listeners;
    this.sessions = sessions;
    this.config = config;
    this.vertx = vertx;
  }

  void start(@Observes StartupEvent event) {
    timer = vertx.setPeriodic(config.sessionCheckInterval().toMillis(), id -> check());
  }

  void stop(@Observes ShutdownEvent event) {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
  }

  private void check() {
    List<Listener> open = List.copyOf(listeners.all());
    sessions
        .ended(open.stream().map(Listener::sessionId).distinct().toList())
        .subscribe()
        .with(
            ended -> {
              for (Listener listener : open) {
                if (ended.contains(listener.sessionId())) {
                  listener.transport().end(Transport.Ending.SESSION_ENDED);
                }
              }
            },
            failure -> Log.debugf("Session check skipped: %s", failure.toString()));
  }
}
