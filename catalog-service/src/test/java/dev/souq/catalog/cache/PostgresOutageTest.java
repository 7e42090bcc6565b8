package dev.souq.catalog.cache;

import static dev.souq.testing.OutageClient.answer;
import static dev.souq.testing.OutageClient.assertAllowed;
import static dev.souq.testing.OutageClient.assertUnavailable;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.souq.catalog.Products;
import dev.souq.testing.Management;
import dev.souq.testing.OutageClient;
import dev.souq.testing.ProxyControl;
import dev.souq.testing.RedisCommand;
import dev.souq.testing.SouqTestResource;
import dev.souq.testing.TestStack;
import dev.souq.testing.Tokens;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL unreachable under concurrent reads and writes: cached reads are served (fresh, or
 * STALE once past their TTL), everything else is 503 with Retry-After, nothing is 500 or hangs,
 * nothing a write replaced is ever served, and all recovers by itself.
 */
@QuarkusTest
@WithTestResource(value = SouqTestResource.class, scope = TestResourceScope.GLOBAL)
class PostgresOutageTest {
  // Longer than the pool's acquire timeout (3 s), shorter than a hang.
  private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(6);
  // Longer than the bound on a connection's silence (10 s).
  private static final Duration SILENCE_CLIENT_TIMEOUT = Duration.ofSeconds(16);
  private static final String[] ADMIN = OutageClient.admin(Tokens.ADMIN);

  @TestHTTPResource("/")
  URI base;

  @Inject RedisGate gate;
  @Inject Pool database;
  @Inject AgroalDataSource flyway;

  private OutageClient client;
  private final ProxyControl postgres = TestStack.get().postgresProxy();

  @BeforeEach
  void cacheTrustsRedis() {
    client = new OutageClient(base, CLIENT_TIMEOUT);
    await().atMost(Duration.ofSeconds(10)).until(gate::open);
    // An earlier outage leaves invalidations to the relay, which applies them once PostgreSQL is
    // back: one applied during a test would move the list pages' generation under its feet.
    await().atMost(Duration.ofSeconds(20)).until(() -> owedInvalidations() == 0);
  }

  private long owedInvalidations() {
    return database
        .query("SELECT count(*) FROM catalog.cache_invalidation")
        .execute()
        .await()
        .atMost(Duration.ofSeconds(5))
        .iterator()
        .next()
        .getLong(0);
  }

  @Test
  void servesCachedAndStaleReadsAnswers503OtherwiseAndRecovers() {
    String category = category();
    long fresh = Products.create(category, 100);
    long expired = Products.create(category, 200);
    String freshJson = cached(fresh);
    String expiredJson = cached(expired);
    String page = "/api/products?category=" + category;
    String pageJson = cachedPage(page);
    // A steady load before the outage, as in production: Redis connections are open and warm.
    List<Pending> warm = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      warm.add(get("fresh product", "/api/products/" + fresh));
      warm.add(get("page", page));
    }
    warm.forEach(p -> assertEquals(200, status(p), p.what()));
    // As if their TTL had run out: only the stale copies are left.
    forgetFresh(expired);
    forgetFreshPage(category);
    String unknownProduct = "/api/products/" + (9_000_000_000L + System.nanoTime() % 1_000_000);
    String unknownPage = "/api/products?category=" + category();

    List<Pending> pending = new ArrayList<>();
    postgres.cut();
    try {
      for (int round = 0; round < 4; round++) {
        pending.add(get("fresh product", "/api/products/" + fresh));
        pending.add(get("stale product", "/api/products/" + expired));
        pending.add(get("stale page", page));
        pending.add(get("uncached product", unknownProduct));
        pending.add(get("uncached page", unknownPage));
        pending.add(
            new Pending("create", client.send("POST", "/api/products", body(category), ADMIN)));
      }
      for (Pending p : pending) {
        HttpResponse<String> response = answer(p.response());
        assertAllowed(p.what(), response);
        switch (p.what()) {
          case "fresh product" -> assertServed(response, "HIT", freshJson);
          case "stale product" -> assertServed(response, "STALE", expiredJson);
          case "stale page" -> assertServed(response, "STALE", pageJson);
          default -> assertUnavailable(p.what(), response);
        }
      }
    } finally {
      postgres.restore();
    }

    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              assertEquals(200, status(get("stale product", "/api/products/" + expired)));
              assertEquals(200, status(get("uncached page", unknownPage)));
              assertEquals(404, status(get("uncached product", unknownProduct)));
              assertEquals(
                  201,
                  status(
                      new Pending(
                          "create", client.send("POST", "/api/products", body(category), ADMIN))));
            });
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> Management.given().get("/q/health/ready").statusCode() == 200);
  }

  @Test
  void aProductChangedByAWriteIsNeverServedStale() {
    long id = Products.create(category(), 100);
    cached(id);
    Products.setPrice(id, 300);
    postgres.cut();
    try {
      assertUnavailable("changed product", answer(get("", "/api/products/" + id).response()));
    } finally {
      postgres.restore();
    }
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                given()
                    .get("/api/products/" + id)
                    .then()
                    .statusCode(200)
                    .body("price_cents", org.hamcrest.Matchers.equalTo(300)));
  }

  @Test
  void aListPageOlderThanAWriteIsNeverServedStale() {
    String category = category();
    Products.create(category, 100);
    String page = "/api/products?category=" + category;
    cachedPage(page);
    // Any write makes every cached page, and its stale copy, belong to an old generation.
    Products.create(category(), 100);
    postgres.cut();
    try {
      assertUnavailable("page after a write", answer(get("", page).response()));
    } finally {
      postgres.restore();
    }
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                given()
                    .get(page)
                    .then()
                    .statusCode(200)
                    .body("total", org.hamcrest.Matchers.equalTo(1)));
  }

  @Test
  void aDatabaseThatStopsAnsweringIs503WithinThePoolTimeoutNotAHang() {
    String unknownPage = "/api/products?category=" + category();
    List<Pending> pending = new ArrayList<>();
    // Connections are accepted and never answered: only the pool's acquire timeout ends a wait.
    postgres.stall();
    try {
      for (int i = 0; i < 3; i++) {
        pending.add(get("uncached page", unknownPage));
        pending.add(
            new Pending("create", client.send("POST", "/api/products", body(category()), ADMIN)));
      }
      pending.forEach(p -> assertUnavailable(p.what(), answer(p.response())));
    } finally {
      postgres.restore();
    }
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> assertEquals(200, status(get("uncached page", unknownPage))));
  }

  @Test
  void aConnectionWhosePathWentSilentIsClosedAndItsRequestAnsweredNotLeftWaiting() {
    // Loads at once leave several connections open in the pool, as a steady load does.
    List<Pending> warm = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      warm.add(get("uncached page", "/api/products?category=" + category()));
    }
    warm.forEach(p -> assertEquals(200, status(p), p.what()));
    // Those connections' path dies without a reset; new ones get through. Only the service's own
    // bound on silence (10 s) ends a statement sent on one of them.
    // Flyway's connections, idle since start-up, are not the subject: only the service's own.
    flyway.flush(AgroalDataSource.FlushMode.IDLE);
    postgres.strand();
    try {
      OutageClient patient = new OutageClient(base, SILENCE_CLIENT_TIMEOUT);
      List<Pending> pending = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        String path = "/api/products?category=" + category();
        pending.add(new Pending("uncached page", patient.send("GET", path, null)));
        pending.add(
            new Pending("create", patient.send("POST", "/api/products", body(category()), ADMIN)));
      }
      pending.forEach(p -> assertAllowed(p.what(), answer(p.response())));
      // And their places in the pool are given back: the service closed every one of them.
      await().atMost(Duration.ofSeconds(30)).until(() -> postgres.strandedConnections() == 0);
    } finally {
      postgres.restore();
    }
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> assertEquals(200, status(get("uncached page", "/api/products?category=x"))));
  }

  /**
   * A statement its caller gave up on leaves its connection with the answer still owed; the
   * statements sent on it after that each restart the count of its silence, which alone would then
   * never run out. Hearing nothing for twice the bound (20 s) ends it however often it is written
   * to, here every 2 s.
   */
  @Test
  void aConnectionWhosePathWentSilentIsClosedEvenWhileStatementsKeepGoingOut() {
    SqlConnection connection = database.getConnectionAndAwait();
    AtomicLong closedAt = new AtomicLong();
    connection.closeHandler(() -> closedAt.set(System.nanoTime()));
    try {
      connection.query("SELECT 1").executeAndAwait();
      // Flyway's connections, idle since start-up, are not the subject: only the service's own.
      flyway.flush(AgroalDataSource.FlushMode.IDLE);
      postgres.strand();
      long strandedAt = System.nanoTime();
      await()
          .pollInterval(Duration.ofSeconds(2))
          .atMost(Duration.ofSeconds(40))
          .until(
              () -> {
                if (closedAt.get() == 0) {
                  connection.query("SELECT 1").execute().subscribe().with(rows -> {}, f -> {});
                }
                return closedAt.get() != 0;
              });
      // Closed by the bound on hearing nothing (20 s), not by the one on sending nothing (10 s),
      // which the statements kept from running out.
      Duration open = Duration.ofNanos(closedAt.get() - strandedAt);
      assertTrue(open.compareTo(Duration.ofSeconds(15)) > 0, "closed after " + open);
      await().atMost(Duration.ofSeconds(30)).until(() -> postgres.strandedConnections() == 0);
    } finally {
      postgres.restore();
      connection.closeAndForget();
    }
  }

  private record Pending(String what, CompletableFuture<HttpResponse<String>> response) {}

  private Pending get(String what, String path) {
    return new Pending(what, client.send("GET", path, null));
  }

  private static int status(Pending pending) {
    return answer(pending.response()).statusCode();
  }

  private static void assertServed(HttpResponse<String> response, String cache, String json) {
    assertEquals(200, response.statusCode(), response.body());
    assertEquals(cache, response.headers().firstValue("X-Cache").orElse(""));
    assertEquals(json, response.body());
  }

  /** The product's JSON once it is in the cache (so it has a stale copy too). */
  private static String cached(long id) {
    return await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> given().get("/api/products/" + id).then().extract().response(),
            r -> "HIT".equals(r.header("X-Cache")))
        .asString();
  }

  private static String cachedPage(String path) {
    return await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> given().get(path).then().extract().response(),
            r -> "HIT".equals(r.header("X-Cache")))
        .asString();
  }

  private static void forgetFresh(long id) {
    assertEquals(1L, RedisCommand.call(redis(), "DEL", CacheKeys.product(id)));
  }

  private static void forgetFreshPage(String category) {
    String key = CacheKeys.page(pageKey(category));
    assertEquals(1L, RedisCommand.call(redis(), "DEL", key));
  }

  /** How ProductService names the first page of a category at the default size. */
  private static String pageKey(String category) {
    return "c=" + category + ":p=0:s=20";
  }

  private static String redis() {
    return TestStack.get().redisUrl();
  }

  private static String category() {
    return "outage-" + UUID.randomUUID().toString().substring(0, 8);
  }

  private static String body(String category) {
    return OutageClient.json(Products.body(category, 100));
  }
}
