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
import java.time.Duration;
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
          "notification.sse-heartbeat", "200ms");
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
      // One comment opens the stream; the rest are heartbeats, every 200 ms here.
      await().atMost(Duration.ofSeconds(10)).until(() -> stream.comments() >= 4);
      assertTrue(stream.events().isEmpty());
    }
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
