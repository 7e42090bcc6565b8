package dev.souq.notification.live;

import dev.souq.shared.session.Session;
import dev.souq.shared.session.SessionStore;
import java.time.Duration;

/** The test side of sessions and connections: a new guest, and how many tabs it has open here. */
final class Shoppers {
  private Shoppers() {}

  /** A new guest session in the real Redis, as order-service creates them. */
  static Session create(SessionStore sessions) {
    return sessions.create("notification-test").await().atMost(Duration.ofSeconds(5));
  }

  /** The user's connections registered on this instance. */
  static long connections(Listeners listeners, Session user) {
    return listeners.all().stream().filter(l -> l.userId().equals(user.userId())).count();
  }
}
