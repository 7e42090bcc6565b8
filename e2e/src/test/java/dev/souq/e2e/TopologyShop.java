package dev.souq.e2e;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.openqa.selenium.support.ui.ExpectedConditions.attributeToBe;
import static org.openqa.selenium.support.ui.ExpectedConditions.textToBePresentInElementLocated;

import dev.souq.devstack.Component;
import dev.souq.testing.RedisCommand;
import dev.souq.testing.Tokens;
import dev.souq.testing.redis.RedisBinary;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.openqa.selenium.By;

/** What the shop must do on any Redis topology, checked the same way on each. */
final class TopologyShop {
  /** What a Redis Cluster or a client says when a command's keys span slots, or any refusal. */
  private static final Pattern REFUSED =
      Pattern.compile(".*(CROSSSLOT|Keys of command or batch|MOVED|NOSCRIPT|ERR |WRONGTYPE).*");

  private static final Pattern FAILED_OPEN =
      Pattern.compile("(?m)^souq_rate_limit_failed_open_total(?:\\{[^}]*})? (\\S+)$");

  private static final Pattern UNREPLICATED =
      Pattern.compile("(?m)^souq_outbox_unreplicated_total(?:\\{[^}]*})? (\\S+)$");

  private TopologyShop() {}

  /**
   * The shop's settings on a topology: its Redis variables, and unpaid orders kept far longer than
   * a failover takes (the shared shop cancels them after 20 s), so that an order the test waits to
   * see PAID is not cancelled first on a slow machine.
   */
  static Map<String, String> settings(Map<String, String> redis) {
    Map<String, String> settings = new java.util.HashMap<>(redis);
    settings.put("SOUQ_UNPAID_ORDER_TIMEOUT", "10m");
    // notification-service checks every connection's session this often, one PTTL per session.
    settings.put("NOTIFICATION_SESSION_CHECK_INTERVAL", "2s");
    // As deploy/README advises on these topologies: outbox rows go once a replica holds them.
    settings.put("ORDER_OUTBOX_REPLICA_ACKS", "1");
    settings.put("ORDER_OUTBOX_REPLICA_ACK_TIMEOUT", "1s");
    return settings;
  }

  /** The redis-server the topology runs on; the test is skipped, saying why, without one. */
  static Path redisServer() {
    Path binary = RedisBinary.find(Path.of("target", "redis-bin")).orElse(null);
    assumeTrue(
        binary != null,
        "No redis-server on the PATH and no embedded Redis binary for this platform");
    return binary;
  }

  /**
   * A shopper on the page places an order; the worker pays it, the operator ships it; the page
   * shows each status live, once, in order. The catalog answers from the Redis cache, and no rate
   * check fails open meanwhile (as every one would if Redis refused the limiter's script).
   */
  static void shopperSeesEveryStatusOnce(SouqSystem system) throws Exception {
    // Cold, on a busy box, Redis may answer late at first and the catalog serve from PostgreSQL
    // for a while (and a check fail open): it goes back to the cache by itself.
    await("a catalog read answered from the Redis cache")
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                "HIT"
                    .equals(
                        given().baseUri(system.url()).get("/api/products/7").header("X-Cache")));
    long failedOpen = failedOpen(system, Component.ORDER) + failedOpen(system, Component.CATALOG);
    long unreplicated = counter(system, Component.ORDER, UNREPLICATED);
    try (Browser browser = new Browser(1280, 900)) {
      browser.open(system.url() + "/");
      browser.waitFor(attributeToBe(By.id("live"), "data-state", "live"), 30);
      long id = ShopPage.placeOrder(browser);
      By status = ShopPage.status(id);
      browser.waitFor(textToBePresentInElementLocated(status, "PAID"), 60);
      system.changeStatus(id, "SHIPPED");
      browser.waitFor(textToBePresentInElementLocated(status, "SHIPPED"), 30);
      String timeline = browser.text(ShopPage.timeline(id));
      for (String step : List.of("PENDING", "PAID", "SHIPPED")) {
        assertEquals(1, timeline.split(step, -1).length - 1, step + " once in: " + timeline);
      }
      assertTrue(timeline.indexOf("PENDING") < timeline.indexOf("PAID"), timeline);
      assertTrue(timeline.indexOf("PAID") < timeline.indexOf("SHIPPED"), timeline);
    }
    // A refused script would fail every check of the flow (dozens) open; a late answer on a busy
    // box may fail one.
    long failedOpenNow =
        failedOpen(system, Component.ORDER) + failedOpen(system, Component.CATALOG);
    assertTrue(
        failedOpenNow - failedOpen < 5,
        "rate checks that failed open: " + (failedOpenNow - failedOpen));
    // Every batch of the flow (the order, its jobs, each status) waited for a replica and got it:
    // the topology took WAIT within each pipeline, and replication kept up.
    assertTrue(
        system.logged(Component.ORDER).contains("Outbox batches wait for 1 Redis replica(s)"),
        "the relay does not wait for replicas");
    assertTrue(
        UNREPLICATED.matcher(metrics(system, Component.ORDER)).find(), "no unreplicated counter");
    assertEquals(
        unreplicated,
        counter(system, Component.ORDER, UNREPLICATED),
        "batches of the flow that no replica took");
  }

  private static long failedOpen(SouqSystem system, Component component) {
    return counter(system, component, FAILED_OPEN);
  }

  /**
   * The first value of a counter {@code pattern} matches on the component's /q/metrics; 0 if none.
   */
  private static long counter(SouqSystem system, Component component, Pattern pattern) {
    Matcher total = pattern.matcher(metrics(system, component));
    return total.find() ? (long) Double.parseDouble(total.group(1)) : 0;
  }

  private static String metrics(SouqSystem system, Component component) {
    return given().baseUri(system.management(component).toString()).get("/q/metrics").asString();
  }

  /**
   * A session whose key disappears with no announcement (deleted here on the node {@code
   * urlServing} names for it, as an expiry would) loses its live connection at the next check of
   * all sessions, which pipelines one PTTL per session (per slot on a Cluster).
   */
  static void aSessionGoneUnannouncedClosesItsConnection(
      SouqSystem system, Function<String, String> urlServing) throws Exception {
    String session = system.guestSession();
    // A second session keeps the check a pipeline over two slots, and must stay connected.
    try (LiveSocket live = new LiveSocket(system.url(), session);
        LiveSocket other = new LiveSocket(system.url(), system.guestSession())) {
      for (LiveSocket socket : List.of(live, other)) {
        // Answered only once the server holds the connection as the session's.
        socket.send("{\"type\":\"resume\",\"since\":\"0-0\"}");
        await("the connection is the session's")
            .atMost(Duration.ofSeconds(10))
            .until(() -> !socket.texts().isEmpty());
      }
      String key = "session:" + session;
      assertEquals(1L, RedisCommand.call(urlServing.apply(key), "DEL", key));
      await("closed as its session ended")
          .atMost(Duration.ofSeconds(15))
          .until(() -> "1008 session ended".equals(live.closedWith()));
      assertEquals(null, other.closedWith(), "the other session's connection");
    }
  }

  /** Kills a Redis primary and returns once a replica has taken its place. */
  interface Failover {
    void run() throws Exception;
  }

  /**
   * Under orders and catalog reads at a steady rate, {@code failover} kills a Redis primary: every
   * service is ready again within 30 s, orders are placed again, every order placed reaches PAID
   * (no job lost), a page opened before sees a status changed after, and the catalog never answers
   * 5xx.
   */
  static void survivesAPrimaryKilled(SouqSystem system, Failover failover) throws Exception {
    List<Long> placed;
    Map<String, Long> answers;
    try (Browser browser = new Browser(1280, 900);
        SteadyShop load = SteadyShop.start(system)) {
      browser.open(system.url() + "/");
      browser.waitFor(attributeToBe(By.id("live"), "data-state", "live"), 30);
      long watched = ShopPage.placeOrder(browser);
      browser.waitFor(textToBePresentInElementLocated(ShopPage.status(watched), "PAID"), 60);
      await().atMost(Duration.ofSeconds(20)).until(() -> load.placed().size() >= 3);

      failover.run();
      system.awaitReady(Duration.ofSeconds(30));
      int before = load.placed().size();
      await("orders placed after the failover")
          .atMost(Duration.ofSeconds(30))
          .until(() -> load.placed().size() >= before + 3);
      system.changeStatus(watched, "SHIPPED");
      browser.waitFor(textToBePresentInElementLocated(ShopPage.status(watched), "SHIPPED"), 30);
      load.close();
      placed = load.placed();
      answers = load.answers();
    }
    for (long order : placed) {
      await("order " + order + " paid")
          .atMost(Duration.ofSeconds(60))
          .until(() -> "PAID".equals(status(system, order)));
    }
    // A 503 is the answer for Redis away (its Retry-After says when to come back); anything else
    // from the server, or no answer, is a failure.
    List<String> serverErrors =
        answers.keySet().stream()
            .filter(a -> a.matches("catalog (5\\d\\d|no answer)|order (50[0-24-9]|no answer)"))
            .toList();
    assertEquals(List.of(), serverErrors, "answers: " + answers);
  }

  private static String status(SouqSystem system, long order) {
    return given()
        .baseUri(system.url())
        .header("Authorization", Tokens.ADMIN_BEARER)
        .get("/api/orders/" + order)
        .then()
        .extract()
        .path("status");
  }

  /** No service logged a Redis refusal or error while the test ran. */
  static void noRedisRefusals(SouqSystem system) throws Exception {
    for (Component component : Component.values()) {
      List<String> refused =
          system.logged(component).lines().filter(line -> REFUSED.matcher(line).matches()).toList();
      assertEquals(List.of(), refused, component + " logged Redis refusals");
    }
  }
}
