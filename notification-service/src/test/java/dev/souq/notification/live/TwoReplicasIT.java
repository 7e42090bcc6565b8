package dev.souq.notification.live;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.souq.devstack.Component;
import dev.souq.devstack.ServiceProcess;
import dev.souq.shared.session.SessionEnded;
import dev.souq.shared.session.SessionStore;
import dev.souq.testing.Management;
import dev.souq.testing.RedisCommand;
import dev.souq.testing.Replicas;
import dev.souq.testing.TestStack;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two packaged replicas, each with its own browsers: every replica gets every event (one
 * subscription each, no shared queue), so every browser gets each of its updates exactly once.
 */
class TwoReplicasIT {
  private static final Replicas started = new Replicas(Component.NOTIFICATION);
  private static final List<ServiceProcess> replicas = new ArrayList<>();
  private static final List<URI> bases = new ArrayList<>();

  @BeforeAll
  static void startTwoReplicas() throws Exception {
    replicas.addAll(started.start(2));
    replicas.forEach(replica -> bases.add(replica.uri().resolve("/")));
  }

  @AfterAll
  static void stop() throws InterruptedException {
    started.close();
  }

  /**
   * No browser is left on either replica: the server counts the last test's closes down after its
   * browsers have gone, and a count read meanwhile made the next test wait for a total it would
   * never see.
   */
  @BeforeEach
  void noBrowsersLeft() {
    for (ServiceProcess replica : replicas) {
      await().atMost(Duration.ofSeconds(10)).until(() -> connections(replica.managementUri()) == 0);
    }
  }

  @Test
  void everyBrowserGetsEachOfItsUpdatesOnceWhicheverReplicaItIsOn() {
    List<String> users = List.of(user(), user(), user());
    Map<String, List<Browser>> browsers = new HashMap<>();
    for (String user : users) {
      for (URI base : bases) {
        browsers
            .computeIfAbsent(user, u -> new ArrayList<>())
            .add(Browser.open(base, Shoppers.write(user), null));
      }
    }
    try {
      for (ServiceProcess replica : replicas) {
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> connections(replica.managementUri()) == users.size());
      }
      Map<String, List<String>> published = new HashMap<>();
      for (int i = 0; i < 30; i++) {
        String user = users.get(i % users.size());
        published
            .computeIfAbsent(user, u -> new ArrayList<>())
            .add(Publisher.publish(user, Publisher.order(), "PAID"));
      }
      // A last update per user: each browser's updates arrive in order, so once it has the last
      // one, a duplicate or a loss of any earlier one is already in what it received.
      for (String user : users) {
        published.get(user).add(Publisher.publish(user, Publisher.order(), "SHIPPED"));
      }
      for (String user : users) {
        List<String> expected = published.get(user);
        String last = expected.get(expected.size() - 1);
        for (Browser browser : browsers.get(user)) {
          await().atMost(Duration.ofSeconds(10)).until(() -> browser.offsets().contains(last));
          assertEquals(expected, browser.offsets());
        }
      }
    } finally {
      browsers.values().forEach(list -> list.forEach(Browser::close));
    }
  }

  @Test
  void aSessionEndedOnOneReplicaIsClosedOnTheOtherAtOnce() throws Exception {
    String user = user();
    String ending = Shoppers.write(user);
    String staying = Shoppers.write(user);
    int[] before = {
      connections(replicas.get(0).managementUri()), connections(replicas.get(1).managementUri())
    };
    try (Browser first = Browser.open(bases.get(0), staying, null);
        Browser second = Browser.open(bases.get(1), ending, null)) {
      for (int i = 0; i < 2; i++) {
        URI management = replicas.get(i).managementUri();
        int expected = before[i] + 1;
        await().atMost(Duration.ofSeconds(10)).until(() -> connections(management) == expected);
      }
      // As order-service's logout does (SessionStore.delete): the key goes, the end is announced.
      String redis = TestStack.get().redisUrl();
      RedisCommand.call(redis, "DEL", "session:" + ending);
      RedisCommand.call(
          redis,
          "PUBLISH",
          SessionStore.ENDED_CHANNEL,
          new ObjectMapper().writeValueAsString(new SessionEnded(ending, user)));
      // The replicas check sessions every 30 s: only the announcement closes it this soon.
      await().atMost(Duration.ofSeconds(5)).until(() -> second.closeCode() != null);
      assertEquals((short) 1008, second.closeCode());
      assertEquals(null, first.closeCode());
    }
  }

  private static String user() {
    return "u_it_" + UUID.randomUUID();
  }

  private static int connections(URI management) {
    return (int) Management.metric(management, "souq_ws_connections");
  }
}
