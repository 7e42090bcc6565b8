package dev.souq.notification.live;

import dev.souq.shared.session.Session;
import dev.souq.shared.session.SessionStore;
import dev.souq.testing.RedisCommand;
import dev.souq.testing.TestStack;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.stream.Stream;

/** The test side of sessions and connections: a new guest, and how many tabs it has open here. */
final class Shoppers {
  private Shoppers() {}

  /** A new guest session in the real Redis, as order-service creates them. */
  static Session create(SessionStore sessions) {
    return sessions.create("notification-test").await().atMost(Duration.ofSeconds(5));
  }

  /** The user's connections registered on this instance. */
  static long connections(Listeners listeners, Session user) {
    return of(listeners, user).count();
  }

  /** The user's connections registered on this instance, as their listeners. */
  static Stream<Listener> of(Listeners listeners, Session user) {
    return listeners.all().stream().filter(l -> l.userId().equals(user.userId()));
  }

  /**
   * A session of {@code user} written straight to the test Redis as order-service writes it, for
   * tests of packaged replicas (no SessionStore bean in this JVM); its id.
   */
  static String write(String user) {
    String id = (UUID.randomUUID() + "" + UUID.randomUUID()).replace("-", "").substring(0, 43);
    String json =
        "{\"session_id\":\""
            + id
            + "\",\"user_id\":\""
            + user
            + "\",\"created_at\":\""
            + Instant.now()
            + "\",\"cart\":[]}";
    RedisCommand.call(TestStack.get().redisUrl(), "SET", "session:" + id, json, "EX", "3600");
    return id;
  }
}
