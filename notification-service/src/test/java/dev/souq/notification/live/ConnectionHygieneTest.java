package dev.souq.notification.live;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.souq.shared.session.Session;
import dev.souq.shared.session.SessionStore;
import dev.souq.testing.Management;
import dev.souq.testing.SouqTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Limits, logout and slow clients, with small limits so the tests reach them quickly. */
@QuarkusTest
@TestProfile(ConnectionHygieneTest.SmallLimits.class)
@WithTestResource(value = SouqTestResource.class, scope = TestResourceScope.GLOBAL)
class ConnectionHygieneTest {
  public static class SmallLimits implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          "notification.max-connections-per-user", "2",
          "notification.session-check-interval", "1s",
          "notification.send-queue", "16",
          "notification.sse-heartbeat", "200ms",
          "notification.ping-interval", "400ms");
    }
  }

  @TestHTTPResource("/")
  URI base;

  @Inject SessionStore sessions;
  @Inject Listeners listeners;

  private Session shopper() {
    return Shoppers.create(sessions);
  }

  @Test
  void aUserOverTheConnectionLimitIsTurnedAwayWith1013() {
    Session user = shopper();
    try (Browser one = Browser.open(base, user.sessionId(), null);
        Browser two = Browser.open(base, user.sessionId(), null)) {
      await().atMost(Duration.ofSeconds(10)).until(() -> connections(user) == 2);
      try (Browser three = Browser.open(base, user.sessionId(), null)) {
        await().atMost(Duration.ofSeconds(10)).until(() -> three.closeCode() != null);
        assertEquals((short) 1013, three.closeCode());
      }
      assertNull(one.closeCode());
      assertNull(two.closeCode());
    }
  }

  @Test
  void anSseStreamCountsAgainstTheSameLimitsAndIsTurnedAwayWith429() {
    Session user = shopper();
    try (Browser one = Browser.open(base, user.sessionId(), null);
        EventStream two = EventStream.open(base, user.sessionId(), null)) {
      await().atMost(Duration.ofSeconds(10)).until(() -> connections(user) == 2);
      try (EventStream three = EventStream.open(base, user.sessionId(), null)) {
        assertEquals(429, three.response().statusCode());
        assertEquals("10", three.response().getHeader("Retry-After"));
      }
      assertNull(one.closeCode());
      assertEquals(200, two.response().statusCode());
      assertEquals(2, connections(user));
    }
  }

  @Test
  void loggingOutEndsTheSessionsStreams() {
    Session user = shopper();
    try (EventStream stream = EventStream.open(base, user.sessionId(), null)) {
      await().atMost(Duration.ofSeconds(10)).until(() -> connections(user) == 1);
      sessions.delete(user).await().atMost(Duration.ofSeconds(5));
      await().atMost(Duration.ofSeconds(10)).until(stream::ended);
      await().atMost(Duration.ofSeconds(10)).until(() -> connections(user) == 0);
    }
  }

  @Test
  void aQuietStreamGetsHeartbeatComments() {
    Session user = shopper();
    try (EventStream stream = EventStream.open(base, user.sessionId(), null)) {
      // One comment opens the stream; the rest are heartbeats, 100-200 ms apart here.
      await().atMost(Duration.ofSeconds(10)).until(() -> stream.comments() >= 4);
      assertTrue(stream.events().isEmpty());
    }
  }

  @Test
  void aQuietWebSocketGetsPingsAndOneSentUpdatesMoreOftenGetsNone() {
    Session quiet = shopper();
    Session busy = shopper();
    try (RawSocket idle = raw(quiet);
        RawSocket live = raw(busy)) {
      long order = Publisher.order();
      await()
          .atMost(Duration.ofSeconds(10))
          .pollInterval(Duration.ofMillis(10))
          .until(
              () -> {
                Publisher.publish(busy.userId(), order, "SHIPPED");
                return !live.texts().isEmpty() && connections(quiet) == 1;
              });
      // Pings from before its updates began (each waits its own 200-400 ms here) do not count.
      int pingsBefore = live.pings().size();
      int idleBefore = idle.pings().size();
      // An update for the busy one at every poll, 20 ms apart: never quiet for 200 ms.
      await()
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(20))
          .until(
              () -> {
                Publisher.publish(busy.userId(), order, "SHIPPED");
                return idle.pings().size() - idleBefore >= 8;
              });
      assertTrue(live.texts().size() >= 10, "updates: " + live.texts().size());
      // One stall of the box allowed; pinged whatever it is sent (auto-ping), it got 8.
      int pings = live.pings().size() - pingsBefore;
      assertTrue(pings <= 1, "pings between updates: " + pings);
    }
  }

  @Test
  void webSocketsSentAnUpdateTogetherGetTheirNextPingsAtSpreadTimes() {
    List<Session> shoppers = new ArrayList<>();
    List<RawSocket> sockets = new ArrayList<>();
    try {
      for (int i = 0; i < 20; i++) {
        Session shopper = shopper();
        shoppers.add(shopper);
        sockets.add(raw(shopper));
      }
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> shoppers.stream().allMatch(shopper -> connections(shopper) == 1));
      long order = Publisher.order();
      long[] received = new long[sockets.size()];
      for (int i = 0; i < sockets.size(); i++) {
        Publisher.publish(shoppers.get(i).userId(), order, "SHIPPED");
      }
      for (int i = 0; i < sockets.size(); i++) {
        RawSocket socket = sockets.get(i);
        await().atMost(Duration.ofSeconds(10)).until(() -> !socket.texts().isEmpty());
        received[i] = socket.textsReceivedAt().get(0);
      }
      await().atMost(Duration.ofSeconds(10)).until(() -> allPingedAfter(sockets, received));
      List<Long> quietMs = new ArrayList<>();
      for (int i = 0; i < sockets.size(); i++) {
        long at = received[i];
        long ping = sockets.get(i).pings().stream().filter(p -> p > at).findFirst().orElseThrow();
        quietMs.add((ping - at) / 1_000_000);
      }
      // Each waits its own 200-400 ms after its last write: 20 of them within 50 ms of each
      // other has a chance of 1 in 10^10. With one wait for all (200 ms then) they came 200-202
      // ms after.
      long spread = Collections.max(quietMs) - Collections.min(quietMs);
      assertTrue(spread >= 50, "ms from each one's update to its next ping: " + quietMs);
    } finally {
      sockets.forEach(RawSocket::close);
    }
  }

  private static boolean allPingedAfter(List<RawSocket> sockets, long[] received) {
    for (int i = 0; i < sockets.size(); i++) {
      long at = received[i];
      if (sockets.get(i).pings().stream().noneMatch(p -> p > at)) {
        return false;
      }
    }
    return true;
  }

  private RawSocket raw(Session session) {
    return RawSocket.open(
        base,
        "/ws/orders",
        ("Cookie: SOUQ_SESSION=" + session.sessionId() + "\r\n")
            .getBytes(StandardCharsets.ISO_8859_1));
  }

  @Test
  void loggingOutClosesTheSessionsConnections() {
    Session user = shopper();
    try (Browser browser = Browser.open(base, user.sessionId(), null)) {
      await().atMost(Duration.ofSeconds(10)).until(() -> connections(user) == 1);
      sessions.delete(user).await().atMost(Duration.ofSeconds(5));
      await().atMost(Duration.ofSeconds(10)).until(() -> browser.closeCode() != null);
      assertEquals((short) 1008, browser.closeCode());
    }
  }

  @Test
  void aClientThatStopsReadingIsDroppedAndOthersCarryOn() {
    try (Tabs<Browser> tabs = slowAndFine(session -> Browser.open(base, session, null))) {
      dropTheFrozenOne(tabs);
      String metrics = Management.given().get("/q/metrics").asString();
      // At least this drop (the SSE test's, if it ran first, counts too).
      assertTrue(Scenarios.slowClientsDropped() >= 1.0, metrics);
      assertTrue(metrics.contains("souq_ws_connections "), metrics);
      assertTrue(metrics.contains("souq_ws_messages_delivered_total"), metrics);
    }
  }

  @Test
  void aClientDroppedAsTooSlowLosesItsTcpConnectionThoughItNeverReadsAgain() throws Exception {
    assumeTrue(TcpTable.readable(), "reads Linux's socket table");
    try (Tabs<Browser> tabs = slowAndFine(session -> Browser.open(base, session, null))) {
      int port = tabs.frozen().localPort();
      assertTrue(TcpTable.held(base.getPort(), port));
      dropTheFrozenOne(tabs);
      // Its close frame waits behind data it never reads; the server must let go all the same.
      await().atMost(Duration.ofSeconds(40)).until(() -> !TcpTable.held(base.getPort(), port));
    }
  }

  @Test
  void anSseClientThatStopsReadingIsCutOffAndOthersCarryOn() {
    try (Tabs<EventStream> tabs = slowAndFine(session -> EventStream.open(base, session, null))) {
      dropTheFrozenOne(tabs);
    }
  }

  /** Two shoppers' tabs: {@code frozen} is about to stop reading, {@code healthy} reads on. */
  private record Tabs<C extends LiveClient>(Session slow, C frozen, Session fine, C healthy)
      implements AutoCloseable {
    @Override
    public void close() {
      try (frozen;
          healthy) {
        // closes both, even if closing one fails
      }
    }
  }

  private <C extends LiveClient> Tabs<C> slowAndFine(Function<String, C> open) {
    Session slow = shopper();
    Session fine = shopper();
    C frozen = open.apply(slow.sessionId());
    try {
      return new Tabs<>(slow, frozen, fine, open.apply(fine.sessionId()));
    } catch (RuntimeException e) {
      frozen.close();
      throw e;
    }
  }

  /** Once both tabs are in: the frozen one is dropped, and the healthy one still gets updates. */
  private void dropTheFrozenOne(Tabs<?> tabs) {
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> connections(tabs.slow()) == 1 && connections(tabs.fine()) == 1);
    Scenarios.aFrozenClientIsDroppedAndOthersCarryOn(
        tabs.slow(), tabs.frozen(), () -> connections(tabs.slow()), tabs.fine(), tabs.healthy());
  }

  private long connections(Session user) {
    return Shoppers.connections(listeners, user);
  }
}
