package dev.souq.notification.live;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.souq.shared.messages.OrderUpdate;
import dev.souq.shared.session.Session;
import dev.souq.shared.session.SessionStore;
import dev.souq.testing.RedisCommand;
import dev.souq.testing.SouqTestResource;
import dev.souq.testing.TestStack;
import io.micrometer.core.instrument.MeterRegistry;
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
 * A replay costs Redis the resuming user's own events, not the stream's: counted by the entries
 * replays read (souq_ws_replay_entries), not timed. And a connection resumes at most once per
 * interval; a sooner one is answered with an error and the connection stays. A resume from before
 * the user streams began is told to reload.
 */
@QuarkusTest
@WithTestResource(value = SouqTestResource.class, scope = TestResourceScope.GLOBAL)
class ReplayCostTest {
  private static final Duration PATIENCE = Duration.ofSeconds(10);

  @TestHTTPResource("/")
  URI base;

  @Inject SessionStore sessions;
  @Inject MeterRegistry registry;

  @Test
  void aResumeFromTheOldestOffsetReadsOnlyTheUsersOwnEvents() {
    Session user = Shoppers.create(sessions);
    // The oldest offset of this test's updates (older ones may predate user streams: reload).
    String oldest = Publisher.publish(Shoppers.create(sessions).userId(), 1, "PAID");
    List<String> own = new ArrayList<>();
    for (int i = 0; i < 2_000; i++) {
      if (i % 500 == 0) {
        own.add(Publisher.publish(user.userId(), Publisher.order(), "PAID"));
      }
      Publisher.publish("u_someone_else_" + (i % 7), Publisher.order(), "PAID");
    }
    double readBefore = entriesRead();
    double tooSoonBefore = resumes("too_soon");

    try (Browser browser = Browser.open(base, user.sessionId(), "since=" + oldest)) {
      await().atMost(PATIENCE).until(() -> has(browser, "resumed"));
      assertEquals(own, browser.updates().stream().map(u -> u.getString("offset")).toList());
      assertEquals(own.size(), entriesRead() - readBefore, 0.0, "entries replays read");

      browser.send("{\"type\":\"resume\",\"since\":\"" + oldest + "\"}");
      await().atMost(PATIENCE).until(() -> has(browser, "error"));
      assertEquals(tooSoonBefore + 1, resumes("too_soon"), 0.0);
      assertEquals(own.size(), entriesRead() - readBefore, 0.0, "a refused resume reads nothing");
      assertEquals(own.size(), browser.updates().size(), "nothing replayed twice");
      assertNull(browser.closeCode(), "a resume too soon must not cost the connection");
    }
  }

  @Test
  void aResumeFromAnOffsetTheUsersStreamNoLongerHoldsIsToldToReload() {
    Session user = Shoppers.create(sessions);
    String first = Publisher.publish(user.userId(), Publisher.order(), "PENDING");
    for (int i = 0; i < OrderUpdate.USER_STREAM_LENGTH + 1; i++) {
      Publisher.publish(user.userId(), Publisher.order(), "PAID");
    }
    try (Browser browser = Browser.open(base, user.sessionId(), "since=" + first)) {
      await().atMost(PATIENCE).until(() -> has(browser, "reload"));
    }
  }

  @Test
  void aUserWithoutEventsResumesAtTheCostOfOneLookup() {
    Session user = Shoppers.create(sessions);
    String recent = Publisher.publish(Shoppers.create(sessions).userId(), 1, "PAID");
    double readBefore = entriesRead();
    try (Browser browser = Browser.open(base, user.sessionId(), "since=" + recent)) {
      await().atMost(PATIENCE).until(() -> has(browser, "resumed"));
      assertEquals(0, browser.updates().size());
    }
    assertEquals(0, entriesRead() - readBefore, 0.0);
  }

  @Test
  void aResumeFromBeforeUserStreamsBeganIsToldToReload() {
    Session user = Shoppers.create(sessions);
    String before = Publisher.publish(user.userId(), Publisher.order(), "PENDING");
    // As if the release that writes user streams came after that update.
    RedisCommand.call(redis(), "DEL", OrderUpdate.USER_STREAMS_SINCE);
    String after = Publisher.publish(user.userId(), Publisher.order(), "PAID");
    assertEquals(after, RedisCommand.call(redis(), "GET", OrderUpdate.USER_STREAMS_SINCE));
    try (Browser browser = Browser.open(base, user.sessionId(), "since=" + before)) {
      await().atMost(PATIENCE).until(() -> has(browser, "reload"));
    }
  }

  @Test
  void aUserStreamAheadOfTheGlobalOneStartsAgainAndOlderResumesReload() {
    Session user = Shoppers.create(sessions);
    String stream = OrderUpdate.userStream(user.userId());
    RedisCommand.call(redis(), "XADD", stream, "9999999999999-0", "data", "{}");
    String earlier = Publisher.publish(Shoppers.create(sessions).userId(), 1, "PAID");
    String id = Publisher.publish(user.userId(), Publisher.order(), "PAID");
    List<?> entries = (List<?>) RedisCommand.call(redis(), "XRANGE", stream, "-", "+");
    assertEquals(1, entries.size(), "the stream started again with this update");
    assertEquals(id, ((List<?>) entries.get(0)).get(0));
    assertEquals(id, RedisCommand.call(redis(), "GET", OrderUpdate.USER_STREAMS_SINCE));
    try (Browser browser = Browser.open(base, user.sessionId(), "since=" + earlier)) {
      await().atMost(PATIENCE).until(() -> has(browser, "reload"));
    }
  }

  private static String redis() {
    return TestStack.get().redisUrl();
  }

  private double entriesRead() {
    return registry.counter("souq.ws.replay.entries").count();
  }

  private double resumes(String outcome) {
    return registry.counter("souq.ws.resumes", "outcome", outcome).count();
  }

  private static boolean has(Browser browser, String type) {
    List<JsonObject> received = browser.received();
    return received.stream().anyMatch(m -> type.equals(m.getString("type")));
  }
}
