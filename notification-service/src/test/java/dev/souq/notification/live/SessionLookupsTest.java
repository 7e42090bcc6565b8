package dev.souq.notification.live;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.souq.shared.session.Session;
import dev.souq.shared.session.SessionStore;
import dev.souq.shared.session.WatchedSession;
import dev.souq.shared.session.WatchedSessions;
import dev.souq.testing.SouqTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The session lookups of one event loop go to Redis together: each is answered with its own
 * session, and past the loop's queue a lookup fails at once (PeekBatcherTest has the grouping). The
 * check of every connection's session takes any number of them.
 */
@QuarkusTest
@WithTestResource(value = SouqTestResource.class, scope = TestResourceScope.GLOBAL)
class SessionLookupsTest {
  private static final Duration PATIENCE = Duration.ofSeconds(20);

  @Inject SessionStore sessions;
  @Inject WatchedSessions watched;
  @Inject Vertx vertx;

  @Test
  void lookupsOfOneTurnAreAnsweredEachWithItsOwnSession() {
    List<Session> shoppers = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      shoppers.add(Shoppers.create(sessions));
    }
    Session gone = Shoppers.create(sessions);
    sessions.delete(gone).await().atMost(PATIENCE);
    String unknown = gone.sessionId();
    Map<String, WatchedSession> found = new ConcurrentHashMap<>();
    AtomicInteger answered = new AtomicInteger();
    Context loop = vertx.getOrCreateContext();
    loop.runOnContext(
        v -> {
          for (Session shopper : shoppers) {
            watched
                .peek(shopper.sessionId())
                .subscribe()
                .with(
                    session -> {
                      found.put(shopper.sessionId(), session);
                      answered.incrementAndGet();
                    });
          }
          watched
              .peek(unknown)
              .subscribe()
              .with(
                  session -> {
                    if (session != null) {
                      found.put(unknown, session);
                    }
                    answered.incrementAndGet();
                  });
        });
    await().atMost(PATIENCE).until(() -> answered.get() == shoppers.size() + 1);
    for (Session shopper : shoppers) {
      WatchedSession session = found.get(shopper.sessionId());
      assertEquals(shopper.userId(), session.session().userId());
      assertEquals(shopper.sessionId(), session.session().sessionId());
    }
    assertNull(found.get(unknown), "a deleted session is none");
  }

  /**
   * The check of all connections' sessions asks for every one in one call ({@link
   * WatchedSessions#timeLeft}): over 2,048 (the Redis client's waiting queue) it failed whole, and
   * no ended session's connections were closed. Each answer is its own session's, in every part.
   */
  @Test
  void theTimeLeftOfMoreSessionsThanTheClientsQueueComesBackEachForItsOwn() {
    List<String> ids = new ArrayList<>();
    List<String> live = new ArrayList<>();
    for (int i = 0; i < 3000; i++) {
      if (i % 1000 == 999) {
        String id = Shoppers.create(sessions).sessionId();
        live.add(id);
        ids.add(id);
      } else {
        ids.add("gone-" + i);
      }
    }
    Map<String, Long> left = watched.timeLeft(ids).await().atMost(PATIENCE);
    assertEquals(ids.size(), left.size());
    for (String id : ids) {
      if (live.contains(id)) {
        assertTrue(left.get(id) > 0, "a live session's TTL");
      } else {
        assertEquals(-2L, left.get(id), "no such key");
      }
    }
  }

  @Test
  void pastItsQueueALoopFailsALookupAtOnce() {
    String id = Shoppers.create(sessions).sessionId();
    int asked = WatchedSessions.MAX_WAITING_PER_LOOP + 1;
    AtomicInteger found = new AtomicInteger();
    List<Throwable> failures = new ArrayList<>();
    Context loop = vertx.getOrCreateContext();
    // All in one turn of the loop: none goes out before the turn ends, so the last finds it full.
    loop.runOnContext(
        v -> {
          for (int i = 0; i < asked; i++) {
            watched
                .peek(id)
                .subscribe()
                .with(
                    session -> found.incrementAndGet(),
                    failure -> {
                      synchronized (failures) {
                        failures.add(failure);
                      }
                    });
          }
        });
    await()
        .atMost(PATIENCE)
        .until(
            () -> {
              synchronized (failures) {
                return found.get() + failures.size() == asked;
              }
            });
    assertEquals(asked - 1, found.get(), failures::toString);
    assertInstanceOf(RejectedExecutionException.class, failures.get(0));
  }
}
