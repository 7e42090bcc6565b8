package dev.souq.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.openqa.selenium.support.ui.ExpectedConditions.attributeToBe;
import static org.openqa.selenium.support.ui.ExpectedConditions.textToBePresentInElementLocated;

import dev.souq.shared.config.DatabaseUrl;
import dev.souq.shared.messages.OrderUpdate;
import dev.souq.testing.RedisCommand;
import dev.souq.testing.TestStack;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;

/**
 * Read your own writes: the page shows an order it placed from the POST's answer, at once, even
 * while the outbox relay sends nothing; when the relay catches up, the order's PENDING event
 * arrives and is recognised by its event id, so the timeline shows it once.
 */
@ExtendWith(RunningSouq.class)
class OwnWritesIT {
  /** OutboxRelay's advisory lock: while a session holds it, no relay sends. */
  private static final long RELAY_LOCK = 0x50_55_51_4f_55_54L;

  private static SouqSystem system;

  /** Where this test's order's updates can begin in the stream: after its newest entry so far. */
  private String since;

  @BeforeAll
  static void useTheRunningShop(SouqSystem running) {
    system = running;
  }

  @Test
  void anOrderPlacedWhileTheRelayIsHeldBackShowsAtOnceAndItsPendingOnce() throws Exception {
    DatabaseUrl db = DatabaseUrl.parse("DATABASE_URL", TestStack.get().databaseUrl());
    try (Browser browser = new Browser(1280, 900);
        Connection sql =
            DriverManager.getConnection(
                db.jdbcUrl(), db.user().orElse("postgres"), db.password().orElse(null))) {
      browser.open(system.url() + "/");
      browser.waitFor(attributeToBe(By.id("live"), "data-state", "live"), 30);

      hold(sql, "SELECT pg_advisory_lock(?)");
      // Order ids start again when RecreatedDatabaseIT recreates the database, while the stream
      // keeps the updates of the orders that had them before: only entries from here on count.
      since = afterNewestEntry();
      long id;
      try {
        id = ShopPage.placeOrder(browser);
        browser.waitFor(textToBePresentInElementLocated(ShopPage.status(id), "PENDING"), 10);
        assertTrue(streamed(id).isEmpty(), "the relay sent while held back");
      } finally {
        hold(sql, "SELECT pg_advisory_unlock(?)");
      }

      // The page takes the order's PENDING from the stream (its offset is then the page's newest).
      await().atMost(Duration.ofSeconds(30)).until(() -> !streamed(id).isEmpty());
      String offset = streamed(id).get(0);
      await().atMost(Duration.ofSeconds(30)).until(() -> notBefore(pageOffset(browser), offset));
      String timeline = browser.text(ShopPage.timeline(id));
      assertEquals(1, timeline.split("PENDING", -1).length - 1, "shown once: " + timeline);

      browser.waitFor(textToBePresentInElementLocated(ShopPage.status(id), "PAID"), 60);
      timeline = browser.text(ShopPage.timeline(id));
      assertEquals(1, timeline.split("PENDING", -1).length - 1, "shown once: " + timeline);
    }
  }

  private static void hold(Connection sql, String lock) throws Exception {
    try (PreparedStatement statement = sql.prepareStatement(lock)) {
      statement.setLong(1, RELAY_LOCK);
      statement.execute();
    }
  }

  private static String afterNewestEntry() {
    List<?> newest =
        (List<?>)
            RedisCommand.call(
                TestStack.get().redisUrl(),
                "XREVRANGE",
                OrderUpdate.STREAM,
                "+",
                "-",
                "COUNT",
                "1");
    if (newest.isEmpty()) {
      return "-";
    }
    // The id right after it (XRANGE's "(" for an exclusive start needs Redis 6.2).
    String[] id = ((String) ((List<?>) newest.get(0)).get(0)).split("-");
    return id[0] + "-" + (Long.parseLong(id[1]) + 1);
  }

  /** The stream offsets of the order's updates since {@link #since}, oldest first. */
  private List<String> streamed(long order) {
    List<?> entries =
        (List<?>)
            RedisCommand.call(TestStack.get().redisUrl(), "XRANGE", OrderUpdate.STREAM, since, "+");
    return entries.stream()
        .map(entry -> (List<?>) entry)
        .filter(
            entry -> ((List<?>) entry.get(1)).toString().contains("\"order_id\":" + order + ","))
        .map(entry -> (String) entry.get(0))
        .toList();
  }

  /** Whether stream id {@code a} is {@code b} or later (ms-seq, each part a number). */
  private static boolean notBefore(String a, String b) {
    if (a.isEmpty()) {
      return false;
    }
    String[] x = a.split("-");
    String[] y = b.split("-");
    int ms = Long.compare(Long.parseLong(x[0]), Long.parseLong(y[0]));
    return ms != 0 ? ms > 0 : Long.parseLong(x[1]) >= Long.parseLong(y[1]);
  }

  /** The newest offset the page has taken from the live channel ("" before any). */
  private static String pageOffset(Browser browser) {
    Object offset = browser.script("return sessionStorage.getItem('souq.offset') || ''");
    return (String) offset;
  }
}
