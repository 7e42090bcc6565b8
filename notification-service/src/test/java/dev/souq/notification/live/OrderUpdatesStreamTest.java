package dev.souq.notification.live;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.souq.shared.messages.OrderUpdate;
import dev.souq.shared.session.Session;
import dev.souq.shared.session.SessionStore;
import dev.souq.testing.SchemaCheck;
import dev.souq.testing.SouqTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code /sse/orders}, the Server-Sent Events fallback: the same session, routing, offsets and
 * resume as the WebSocket, with the standard Last-Event-ID.
 */
@QuarkusTest
@WithTestResource(value = SouqTestResource.class, scope = TestResourceScope.GLOBAL)
class OrderUpdatesStreamTest {
  private static final Duration PATIENCE = Duration.ofSeconds(10);

  @TestHTTPResource("/")
  URI base;

  @Inject SessionStore sessions;
  @Inject Listeners listeners;

  private Session shopper() {
    return Shoppers.create(sessions);
  }

  private void awaitConnections(Session user, int count) {
    await().atMost(PATIENCE).until(() -> Shoppers.connections(listeners, user) == count);
  }

  @Test
  void aStreamWithoutAValidSessionIsRefusedWith401ProblemJson() {
    for (String session : new String[] {null, "not-a-session", "A".repeat(43)}) {
      try (EventStream stream = EventStream.open(base, session, null)) {
        assertEquals(401, stream.response().statusCode());
        assertEquals("application/problem+json", stream.response().getHeader("Content-Type"));
        await().atMost(PATIENCE).until(stream::ended);
        assertEquals(401, new JsonObject(stream.body()).getInteger("status"));
      }
    }
  }

  @Test
  void anOffsetThatIsNoOffsetIsRefusedWith400() {
    Session user = shopper();
    try (EventStream byHeader =
            EventStream.open(base, user.sessionId(), null, "Last-Event-ID", "yesterday");
        EventStream byQuery = EventStream.open(base, user.sessionId(), "since=1-2-3")) {
      assertEquals(400, byHeader.response().statusCode());
      assertEquals(400, byQuery.response().statusCode());
      await().atMost(PATIENCE).until(() -> byQuery.ended() && byHeader.ended());
      assertTrue(byHeader.body().contains("offset like"), byHeader.body());
    }
    assertEquals(0, Shoppers.connections(listeners, user));
  }

  @Test
  void aQueryThatIsNotPercentEncodingIsRefusedWith400() {
    Session user = shopper();
    try (EventStream stream = EventStream.open(base, user.sessionId(), "since=%zz")) {
      assertEquals(400, stream.response().statusCode());
    }
  }

  @Test
  void aPageOfAnotherOriginOrSiteIsRefusedWith403() {
    Session user = shopper();
    try (EventStream foreign =
            EventStream.open(base, user.sessionId(), null, "Origin", "https://evil.example.com");
        EventStream sibling =
            EventStream.open(base, user.sessionId(), null, "Sec-Fetch-Site", "same-site");
        EventStream own =
            EventStream.open(base, user.sessionId(), null, "Sec-Fetch-Site", "same-origin")) {
      assertEquals(403, foreign.response().statusCode());
      assertEquals(403, sibling.response().statusCode());
      assertEquals(200, own.response().statusCode());
      awaitConnections(user, 1);
    }
  }

  @Test
  void theStreamIsAnUnbufferedUncachedEventStream() {
    Session user = shopper();
    try (EventStream stream = EventStream.open(base, user.sessionId(), null)) {
      assertEquals(200, stream.response().statusCode());
      assertEquals("text/event-stream; charset=utf-8", stream.response().getHeader("Content-Type"));
      assertEquals("no-store", stream.response().getHeader("Cache-Control"));
      assertEquals("no", stream.response().getHeader("X-Accel-Buffering"));
      // The stream opens with a comment, so the headers leave at once.
      await().atMost(PATIENCE).until(() -> stream.comments() >= 1);
    }
  }

  @Test
  void eachUserGetsTheirOwnUpdatesOnlyEachWithItsOffsetAsId() {
    Session alice = shopper();
    Session bob = shopper();
    try (EventStream a = EventStream.open(base, alice.sessionId(), null);
        EventStream b = EventStream.open(base, bob.sessionId(), null)) {
      awaitConnections(alice, 1);
      awaitConnections(bob, 1);
      String offset = Scenarios.eachGetsTheirOwn(alice, a, bob, b);
      JsonObject paid = a.updates().get(1);
      assertEquals(offset, paid.getString("offset"));
      assertEquals("PAID", paid.getString("status"));
      assertEquals(a.offsets(), a.ids(), "each update's id is its offset");
      SchemaCheck.assertValid(OrderUpdate.SCHEMA, paid.encode());
    }
  }

  @Test
  void aClientThatReconnectsWithLastEventIdGetsExactlyTheFiftyItMissedThenLiveUpdates() {
    Session user = shopper();
    long order = Publisher.order();
    String seen;
    try (EventStream first = EventStream.open(base, user.sessionId(), null)) {
      awaitConnections(user, 1);
      Publisher.publish(user.userId(), order, "PENDING");
      await().atMost(PATIENCE).until(() -> first.ids().size() == 1);
      seen = first.ids().get(0);
    }
    awaitConnections(user, 0);
    List<String> missed = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      missed.add(Publisher.publish(user.userId(), order, "SHIPPED"));
      Publisher.publish(shopper().userId(), Publisher.order(), "PAID");
    }
    try (EventStream again =
        EventStream.open(base, user.sessionId(), null, "Last-Event-ID", seen)) {
      await().atMost(PATIENCE).until(() -> resumed(again));
      String live = Publisher.publish(user.userId(), order, "DELIVERED");
      await().atMost(PATIENCE).until(() -> again.updates().size() == 51);

      assertEquals(missed, again.offsets().subList(0, 50));
      assertEquals(missed, again.ids().subList(0, 50));
      assertEquals(live, again.offsets().get(50));
      assertEquals(1, again.events().stream().filter(e -> isType(e, "resumed")).count());
    }
  }

  @Test
  void sinceInTheQueryResumesLikeLastEventId() {
    Session user = shopper();
    long order = Publisher.order();
    String first = Publisher.publish(user.userId(), order, "PENDING");
    String second = Publisher.publish(user.userId(), order, "PAID");
    try (EventStream stream = EventStream.open(base, user.sessionId(), "since=" + first)) {
      await().atMost(PATIENCE).until(() -> resumed(stream));
      assertEquals(List.of(second), stream.offsets());
    }
  }

  @Test
  void anOffsetOlderThanTheUsersStreamKeepsGetsReload() {
    Session user = shopper();
    Publisher.publish(user.userId(), Publisher.order(), "PENDING");
    try (EventStream stream =
        EventStream.open(base, user.sessionId(), null, "Last-Event-ID", "1-0")) {
      await()
          .atMost(PATIENCE)
          .until(() -> stream.events().stream().anyMatch(e -> isType(e, "reload")));
    }
  }

  private static boolean resumed(EventStream stream) {
    return stream.events().stream().anyMatch(e -> isType(e, "resumed"));
  }

  private static boolean isType(EventStream.Event event, String type) {
    return type.equals(event.data().getString("type"));
  }
}
