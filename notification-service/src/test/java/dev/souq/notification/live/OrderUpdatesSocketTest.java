package dev.souq.notification.live;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.souq.notification.messaging.OrderUpdatesSubscriber;
import dev.souq.shared.messages.OrderUpdate;
import dev.souq.shared.session.Session;
import dev.souq.shared.session.SessionEnded;
import dev.souq.shared.session.SessionStore;
import dev.souq.testing.RedisCommand;
import dev.souq.testing.SchemaCheck;
import dev.souq.testing.SouqTestResource;
import dev.souq.testing.TestStack;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(value = SouqTestResource.class, scope = TestResourceScope.GLOBAL)
class OrderUpdatesSocketTest {
  @TestHTTPResource("/")
  URI base;

  @Inject SessionStore sessions;
  @Inject Listeners listeners;
  @Inject OrderUpdatesSubscriber subscriber;

  private Session shopper() {
    return Shoppers.create(sessions);
  }

  @Test
  void aConnectionWithoutAValidSessionIsClosedWith1008() {
    for (String session : new String[] {null, "not-a-session", "A".repeat(43)}) {
      try (Browser browser = Browser.open(base, session, null)) {
        await().atMost(Duration.ofSeconds(10)).until(() -> browser.closeCode() != null);
        assertEquals((short) 1008, browser.closeCode());
      }
    }
  }

  /**
   * The tests that take Redis away end once their page heard what they assert, while the
   * subscription is still coming back (its back-off, then its catch-up): the next test would wait
   * for live updates through that. A subscription frozen with Redis still counts as live until its
   * probe's next tick finds it deaf and subscribes again, which lost a later test's session-end
   * announcement (pub/sub, nothing replays it): that is waited out too.
   */
  @AfterEach
  void subscriptionLiveAgain() {
    await().atMost(Duration.ofSeconds(30)).until(subscriber::hearing);
  }

  @Test
  void aConnectionOpenedWhileRedisIsAwayOrSilentIsToldToTryAgainNotLeftWaiting() {
    Session user = shopper();
    var redis = TestStack.get().redisProxy();
    for (Runnable outage : List.<Runnable>of(redis::cut, redis::freeze)) {
      outage.run();
      try (Browser tab = Browser.open(base, user.sessionId(), null)) {
        // Away, the session lookup fails at once; silent, it gives up after its timeout (5 s in
        // tests). Either way the page hears "try again later", not an error or nothing at all.
        await().atMost(Duration.ofSeconds(15)).until(() -> tab.closeCode() != null);
        assertEquals((short) 1013, tab.closeCode());
        // The SSE fallback hears it as any request does: 503, the shop's Retry-After (5 s by
        // default), a reference to find the log line by.
        try (EventStream stream = EventStream.open(base, user.sessionId(), null)) {
          assertEquals(503, stream.response().statusCode());
          assertEquals("5", stream.response().getHeader("Retry-After"));
          await().atMost(Duration.ofSeconds(5)).until(() -> stream.body().contains("reference"));
        }
      } finally {
        redis.restore();
      }
    }
    try (Browser tab = Browser.open(base, user.sessionId(), null)) {
      awaitConnections(user, 1);
    }
  }

  @Test
  void anUpdateWhoseOffsetIsFromTheFutureHidesNoLaterOne() {
    Session user = shopper();
    long order = Publisher.order();
    try (Browser tab = Browser.open(base, user.sessionId(), null)) {
      firstUpdate(tab, user, order);
      // PUBLISHed by hand, not through the stream: an offset no real update will pass for ages.
      String future = "9999999999999999999-0";
      RedisCommand.call(
          TestStack.get().redisUrl(),
          "PUBLISH",
          OrderUpdate.CHANNEL,
          "{\"order_id\":"
              + order
              + ",\"status\":\"PAID\",\"timestamp\":\"2026-12-06T00:00:00Z\",\"user_id\":\""
              + user.userId()
              + "\",\"stream_id\":\""
              + future
              + "\"}");
      String real = Publisher.publish(user.userId(), order, "SHIPPED");
      await().atMost(Duration.ofSeconds(10)).until(() -> tab.offsets().contains(real));
      assertFalse(tab.offsets().contains(future), "delivered an offset from the future");
    }
  }

  @Test
  void aSubscriptionGoneSilentIsNoticedAndMissesNothing() {
    Session user = shopper();
    long order = Publisher.order();
    try (Browser tab = Browser.open(base, user.sessionId(), null)) {
      firstUpdate(tab, user, order);
      var redis = TestStack.get().redisProxy();
      String meanwhile;
      try {
        // Connections stay open and say nothing: no error, no end, only silence.
        redis.freeze();
        await().atMost(Duration.ofSeconds(20)).until(() -> !subscriber.live());
        meanwhile = Publisher.publish(user.userId(), order, "SHIPPED");
      } finally {
        redis.restore();
      }
      await().atMost(Duration.ofSeconds(30)).until(subscriber::live);
      await().atMost(Duration.ofSeconds(10)).until(() -> tab.offsets().contains(meanwhile));
    }
  }

  @Test
  void loggingOutEndsTheSessionsLiveConnectionsAtOnceNotAtTheNextCheck() {
    Session user = shopper();
    Session other = shopper();
    try (Browser socket = Browser.open(base, user.sessionId(), null);
        EventStream stream = EventStream.open(base, user.sessionId(), null);
        Browser others = Browser.open(base, other.sessionId(), null)) {
      awaitConnections(user, 2);
      awaitConnections(other, 1);
      sessions.delete(user).await().atMost(Duration.ofSeconds(5));
      // Sessions are checked every 30 s here: only the announcement of the end is this quick.
      await().atMost(Duration.ofSeconds(5)).until(() -> socket.closeCode() != null);
      await().atMost(Duration.ofSeconds(5)).until(stream::ended);
      assertEquals((short) 1008, socket.closeCode());
      awaitConnections(user, 0);
      assertNull(others.closeCode());
      assertEquals(1, Shoppers.connections(listeners, other));
    }
  }

  @Test
  void aConnectionThatJoinsJustAfterItsSessionsEndWasAnnouncedIsEndedToo() throws Exception {
    // The race: the session was read (its key still there), then its end went by before the
    // connection joined. Announcing without deleting stands for that moment, frozen.
    Session late = shopper();
    Session marker = shopper();
    try (Browser markerSocket = Browser.open(base, marker.sessionId(), null)) {
      awaitConnections(marker, 1);
      announceEnd(late);
      announceEnd(marker);
      // Announcements are handled in order: once the marker's socket closed, late's was heard.
      await().atMost(Duration.ofSeconds(5)).until(() -> markerSocket.closeCode() != null);
    }
    try (Browser socket = Browser.open(base, late.sessionId(), null)) {
      await().atMost(Duration.ofSeconds(5)).until(() -> socket.closeCode() != null);
      assertEquals((short) 1008, socket.closeCode());
    }
  }

  @Test
  void aConnectionWhoseSessionEndedIsSentNoUpdateAfterItsCloseFrame() throws Exception {
    Session user = shopper();
    Session other = shopper();
    byte[] cookie =
        ("Cookie: SOUQ_SESSION=" + user.sessionId() + "\r\n").getBytes(StandardCharsets.UTF_8);
    try (RawSocket socket = RawSocket.open(base, "/ws/orders", cookie);
        Browser fence = Browser.open(base, other.sessionId(), null)) {
      awaitConnections(user, 1);
      awaitConnections(other, 1);
      announceEnd(user);
      await().atMost(Duration.ofSeconds(10)).until(() -> socket.closeCode() != null);
      // The client has not answered the close: the connection is still routed to.
      assertEquals(1, Shoppers.connections(listeners, user));
      Publisher.publish(user.userId(), Publisher.order(), "SHIPPED");
      // Updates are routed in offset order: once a later one reached another user, this one had
      // been handed to the connection's event loop, ahead of the close answer sent next.
      String later = Publisher.publish(other.userId(), Publisher.order(), "PAID");
      await().atMost(Duration.ofSeconds(10)).until(() -> fence.offsets().contains(later));
      socket.send(RawSocket.CLOSE, new byte[] {0x03, (byte) 0xe8}); // 1000: the handshake ends
      await().atMost(Duration.ofSeconds(15)).until(socket::disconnected);
      assertEquals(1008, socket.closeCode());
      assertEquals(List.of(), socket.textsAfterClose());
    }
  }

  private static void announceEnd(Session session) throws Exception {
    RedisCommand.call(
        TestStack.get().redisUrl(),
        "PUBLISH",
        SessionStore.ENDED_CHANNEL,
        new ObjectMapper()
            .writeValueAsString(new SessionEnded(session.sessionId(), session.userId())));
  }

  @Test
  void aSessionInTheQueryIsNotAcceptedUnlessConfigured() {
    Session user = shopper();
    try (Browser browser = Browser.open(base, null, "session=" + user.sessionId())) {
      await().atMost(Duration.ofSeconds(10)).until(() -> browser.closeCode() != null);
      assertEquals((short) 1008, browser.closeCode());
    }
  }

  @Test
  void eachUserGetsTheirOwnUpdatesOnly() {
    Session alice = shopper();
    Session bob = shopper();
    try (Browser a = Browser.open(base, alice.sessionId(), null);
        Browser b = Browser.open(base, bob.sessionId(), null)) {
      awaitConnections(alice, 1);
      awaitConnections(bob, 1);
      String offset = Scenarios.eachGetsTheirOwn(alice, a, bob, b);
      JsonObject paid = a.updates().get(1);
      assertEquals("order_update", paid.getString("type"));
      assertEquals(offset, paid.getString("offset"));
      assertEquals("PAID", paid.getString("status"));
      assertNull(paid.getString("stream_id"));
      SchemaCheck.assertValid(OrderUpdate.SCHEMA, paid.encode());
    }
  }

  @Test
  void aClientThatResumesGetsExactlyWhatItMissedInOrderThenLiveUpdates() {
    Session user = shopper();
    long order = Publisher.order();
    String seen;
    try (Browser first = Browser.open(base, user.sessionId(), null)) {
      seen = firstUpdate(first, user, order);
    }
    List<String> missed = new ArrayList<>();
    String live;
    for (int i = 0; i < 50; i++) {
      missed.add(Publisher.publish(user.userId(), order, "SHIPPED"));
      Publisher.publish(shopper().userId(), Publisher.order(), "PAID");
    }
    try (Browser again = Browser.open(base, user.sessionId(), null)) {
      again.send("{\"type\":\"resume\",\"since\":\"" + seen + "\"}");
      await().atMost(Duration.ofSeconds(10)).until(() -> hasResumed(again));
      live = Publisher.publish(user.userId(), order, "DELIVERED");
      await().atMost(Duration.ofSeconds(10)).until(() -> again.updates().size() == 51);

      assertEquals(missed, again.offsets().subList(0, 50));
      List<JsonObject> all = again.received();
      assertEquals("resumed", all.get(50).getString("type"));
      assertEquals(live, all.get(51).getString("offset"));
    }
    try (Browser byQuery = Browser.open(base, user.sessionId(), "since=" + missed.get(47))) {
      await().atMost(Duration.ofSeconds(10)).until(() -> hasResumed(byQuery));
      // The stream holds the live one too by now: it is replayed like the others.
      assertEquals(
          List.of(missed.get(48), missed.get(49), live, "resumed"),
          byQuery.received().stream()
              .map(m -> m.getString("offset", m.getString("type")))
              .toList()
              .subList(0, 4));
    }
  }

  @Test
  void aResumeAtOpenIsNeverOvertakenByALiveUpdate() throws InterruptedException {
    Session user = shopper();
    long order = Publisher.order();
    String since = Publisher.publish(user.userId(), order, "PAID");
    for (int i = 0; i < 10; i++) {
      // Updates go out while the tab opens, so its replay meets live ones on their way.
      List<String> published = new CopyOnWriteArrayList<>();
      Thread publisher =
          new Thread(
              () -> {
                for (int k = 0; k < 30; k++) {
                  published.add(Publisher.publish(user.userId(), order, "SHIPPED"));
                }
              });
      publisher.start();
      try (Browser tab = Browser.open(base, user.sessionId(), "since=" + since)) {
        publisher.join();
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> hasResumed(tab) && tab.updates().size() >= published.size());
        // Each once, none missed, in offset order: replayed and live alike.
        assertEquals(published, tab.offsets());
      }
      since = published.get(published.size() - 1);
    }
  }

  @Test
  void aResumeSentWhileTheConnectionIsStillOpeningIsAnsweredOnceItIsIn() {
    Session user = shopper();
    long order = Publisher.order();
    String seen = Publisher.publish(user.userId(), order, "PAID");
    String missed = Publisher.publish(user.userId(), order, "SHIPPED");
    var redis = TestStack.get().redisProxy();
    try {
      // The upgrade needs no Redis here (no rate limit in tests): @OnOpen's session lookup waits.
      redis.freeze();
      try (Browser tab = Browser.open(base, user.sessionId(), null)) {
        tab.send("{\"type\":\"resume\",\"since\":\"" + seen + "\"}"); // as from onopen
        // The server answers a ping as it reads it, so it has read the resume before it too, while
        // the connection was not in yet: websockets-next holds messages until @OnOpen completes.
        tab.ping();
        await().atMost(Duration.ofSeconds(10)).until(() -> tab.pongs() == 1);
        assertEquals(0, Shoppers.connections(listeners, user));
        redis.restore();
        await().atMost(Duration.ofSeconds(15)).until(() -> hasEnded(tab));
        assertEquals("resumed", ended(tab));
        assertEquals(List.of(missed), tab.offsets());
      }
    } finally {
      redis.restore();
    }
  }

  @Test
  void aLateResumeGetsWhatItMissedOnceHoweverManyUpdatesWentOutLiveMeanwhile() {
    Session user = shopper();
    long order = Publisher.order();
    String seen = Publisher.publish(user.userId(), order, "PAID");
    String missed = Publisher.publish(user.userId(), order, "SHIPPED"); // the tab was not open yet
    try (Browser tab = Browser.open(base, user.sessionId(), null)) {
      awaitConnections(user, 1);
      List<String> live = new ArrayList<>();
      // More than the 64 offsets a connection once remembered: it now keeps only the first.
      for (int i = 0; i < 65; i++) {
        live.add(Publisher.publish(user.userId(), order, "DELIVERED"));
      }
      await().atMost(Duration.ofSeconds(10)).until(() -> tab.updates().size() == 65);
      tab.send("{\"type\":\"resume\",\"since\":\"" + seen + "\"}");
      await().atMost(Duration.ofSeconds(10)).until(() -> hasEnded(tab));
      assertEquals("resumed", ended(tab));
      // The missed one after those sent live, and none of them twice.
      List<String> expected = new ArrayList<>(live);
      expected.add(missed);
      assertEquals(expected, tab.offsets());
    }
  }

  @Test
  void aReplayThatRedisNeverAnswersEndsInAReloadAndLiveUpdatesFlowAgain() {
    Session user = shopper();
    long order = Publisher.order();
    try (Browser tab = Browser.open(base, user.sessionId(), null)) {
      String seen = firstUpdate(tab, user, order);
      var redis = TestStack.get().redisProxy();
      try {
        redis.freeze(); // the pooled connections stay open and say nothing
        tab.send("{\"type\":\"resume\",\"since\":\"" + seen + "\"}");
        // Told while Redis still says nothing: the replay gave up on its own.
        await().atMost(Duration.ofSeconds(15)).until(() -> hasEnded(tab));
        assertEquals("reload", ended(tab));
      } finally {
        redis.restore();
      }
      String live = Publisher.publish(user.userId(), order, "SHIPPED");
      await().atMost(Duration.ofSeconds(30)).until(() -> tab.offsets().contains(live));
    }
  }

  @Test
  void aClientResumingFromATrimmedOffsetIsToldToReload() {
    Session user = shopper();
    Publisher.publish(user.userId(), Publisher.order(), "PAID");
    try (Browser browser = Browser.open(base, user.sessionId(), null)) {
      browser.send("{\"type\":\"resume\",\"since\":\"1-0\"}");
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  browser.received().stream().anyMatch(m -> "reload".equals(m.getString("type"))));
      browser.send("{\"type\":\"resume\",\"since\":\"yesterday\"}");
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () -> browser.received().stream().anyMatch(m -> "error".equals(m.getString("type"))));
      assertNull(browser.closeCode(), "a bad message must not cost the connection");
    }
  }

  @Test
  void aRedisOutageLosesNoUpdateAndRepeatsNone() {
    Session user = shopper();
    long order = Publisher.order();
    List<String> offsets = new ArrayList<>();
    try (Browser browser = Browser.open(base, user.sessionId(), null)) {
      offsets.add(firstUpdate(browser, user, order));
      var redis = TestStack.get().redisProxy();
      try {
        redis.cut();
        for (int i = 0; i < 20; i++) {
          offsets.add(Publisher.publish(user.userId(), order, "SHIPPED"));
        }
      } finally {
        redis.restore();
      }
      for (int i = 0; i < 5; i++) {
        offsets.add(Publisher.publish(user.userId(), order, "DELIVERED"));
      }
      // Updates arrive in order: once the last is in, any loss or duplicate before it shows.
      String last = offsets.get(offsets.size() - 1);
      await().atMost(Duration.ofSeconds(30)).until(() -> browser.offsets().contains(last));
      assertEquals(offsets, browser.offsets());
    }
  }

  /** Waits until {@code count} connections of the user are registered on the instance. */
  private void awaitConnections(Session user, int count) {
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> Shoppers.connections(listeners, user) == count);
  }

  /** Connects, then publishes one update and waits for it: returns its offset. */
  private String firstUpdate(Browser browser, Session user, long order) {
    awaitConnections(user, 1);
    String offset = Publisher.publish(user.userId(), order, "PENDING");
    await().atMost(Duration.ofSeconds(10)).until(() -> browser.updates().size() == 1);
    return offset;
  }

  /** Whether a replay ended: resumed, or reload. */
  private static boolean hasEnded(Browser browser) {
    return ended(browser) != null;
  }

  /** How the first replay ended ("resumed" or "reload"), or null while it runs. */
  private static String ended(Browser browser) {
    return browser.received().stream()
        .map(m -> m.getString("type"))
        .filter(type -> "resumed".equals(type) || "reload".equals(type))
        .findFirst()
        .orElse(null);
  }

  private static boolean hasResumed(Browser browser) {
    return browser.received().stream().anyMatch(m -> "resumed".equals(m.getString("type")));
  }
}
