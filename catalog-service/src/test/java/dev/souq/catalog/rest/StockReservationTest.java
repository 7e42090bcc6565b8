package dev.souq.catalog.rest;

import static dev.souq.catalog.Reservations.release;
import static dev.souq.catalog.Reservations.reserve;
import static dev.souq.catalog.Reservations.stock;
import static dev.souq.testing.Tokens.SERVICE_BEARER;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.souq.catalog.Products;
import dev.souq.shared.problem.ProductBusy;
import dev.souq.testing.SouqTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Stock reservations over the service API against real PostgreSQL and Redis: all or nothing,
 * idempotent per placement, released once, never oversold, and the cached product never shows stock
 * older than the reservation that changed it. Products.create gives each product stock 7.
 */
@QuarkusTest
@WithTestResource(value = SouqTestResource.class, scope = TestResourceScope.GLOBAL)
class StockReservationTest {
  @Inject Pool database;

  @Test
  void aReservationTakesStockAndTheCachedProductShowsItAtOnce() {
    long id = Products.create("kitchen", 100);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> "HIT".equals(given().get("/api/products/" + id).header("X-Cache")));
    UUID placement = UUID.randomUUID();

    reserve(placement, 1, Map.of(id, 3)).then().statusCode(201).body("state", equalTo("HELD"));
    given().get("/api/products/" + id).then().body("stock", equalTo(4));

    // A retry of the same placement takes nothing more.
    reserve(placement, 1, Map.of(id, 3)).then().statusCode(200).body("state", equalTo("HELD"));
    assertEquals(4, stock(id));
  }

  @Test
  void aReservationOfTwoProductsShowsBothAtOnceAndSettlesWhatItOwedTheCache() {
    long first = Products.create("kitchen", 100);
    long second = Products.create("kitchen", 100);
    for (long id : List.of(first, second)) {
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> "HIT".equals(given().get("/api/products/" + id).header("X-Cache")));
    }

    reserve(UUID.randomUUID(), 1, Map.of(first, 2, second, 5)).then().statusCode(201);

    // Before the answer, both cached copies were dropped (each next read is a MISS through the
    // cache, not a BYPASS of a cache whose invalidation failed).
    given()
        .get("/api/products/" + first)
        .then()
        .header("X-Cache", "MISS")
        .body("stock", equalTo(5));
    given()
        .get("/api/products/" + second)
        .then()
        .header("X-Cache", "MISS")
        .body("stock", equalTo(2));
    // Their owed rows are deleted with the others of the next few milliseconds (SettleBatcher).
    await().atMost(Duration.ofSeconds(10)).until(() -> owedRows(first, second) == 0);
  }

  private long owedRows(long... products) {
    return database
        .preparedQuery("SELECT count(*) FROM catalog.cache_invalidation WHERE product_id = ANY($1)")
        .execute(Tuple.of(java.util.Arrays.stream(products).boxed().toArray(Long[]::new)))
        .await()
        .atMost(Duration.ofSeconds(10))
        .iterator()
        .next()
        .getLong(0);
  }

  @Test
  void aLineWantingMoreThanIsLeftRefusesTheWholeReservationAndSaysWhich() {
    long plenty = Products.create("kitchen", 100);
    long scarce = Products.create("kitchen", 100);

    reserve(UUID.randomUUID(), 2, Map.of(plenty, 2, scarce, 8))
        .then()
        .statusCode(409)
        .contentType("application/problem+json")
        .body("status", equalTo(409))
        .body("product_id", equalTo((int) scarce))
        .body("available", equalTo(7))
        .body("detail", equalTo("Not enough stock for product " + scarce + ": 7 left"));
    assertEquals(7, stock(plenty));
    assertEquals(7, stock(scarce));
  }

  @Test
  void aReleaseGivesTheStockBackExactlyOnce() {
    long id = Products.create("kitchen", 100);
    UUID placement = UUID.randomUUID();
    reserve(placement, 3, Map.of(id, 5)).then().statusCode(201);
    assertEquals(2, stock(id));

    release(placement).then().statusCode(204);
    assertEquals(7, stock(id));
    release(placement).then().statusCode(204);
    assertEquals(7, stock(id));
    // Released is final: the placement cannot take stock again.
    reserve(placement, 3, Map.of(id, 5)).then().statusCode(410);
    assertEquals(7, stock(id));
  }

  @Test
  void aReservationArrivingAfterItsReleaseIsRefusedForGood() {
    long id = Products.create("kitchen", 100);
    UUID placement = UUID.randomUUID();

    release(placement).then().statusCode(204);
    reserve(placement, 4, Map.of(id, 1))
        .then()
        .statusCode(410)
        .contentType("application/problem+json");
    assertEquals(7, stock(id));
  }

  @Test
  void concurrentReservationsNeverOversell() throws Exception {
    long id = Products.create("kitchen", 100);
    ExecutorService pool = Executors.newFixedThreadPool(16);
    try {
      List<Future<Integer>> answers = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        long order = 100 + i;
        answers.add(
            pool.submit(() -> reserve(UUID.randomUUID(), order, Map.of(id, 1)).statusCode()));
      }
      List<Integer> codes = new ArrayList<>();
      for (Future<Integer> answer : answers) {
        codes.add(answer.get());
      }
      assertEquals(7, codes.stream().filter(c -> c == 201).count(), codes::toString);
      assertEquals(33, codes.stream().filter(c -> c == 409).count(), codes::toString);
    } finally {
      pool.shutdownNow();
    }
    assertEquals(0, stock(id));
  }

  @Test
  void ordersOfTheSameProductsInOppositeOrderNeverDeadlock() throws Exception {
    long first = Products.create("kitchen", 100);
    long second = Products.create("kitchen", 100);
    ExecutorService pool = Executors.newFixedThreadPool(16);
    try {
      List<Future<Integer>> answers = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        // Lines in either order: the catalog locks products by id whatever the order sent.
        Map<Long, Integer> lines = new java.util.LinkedHashMap<>();
        lines.put(i % 2 == 0 ? first : second, 1);
        lines.put(i % 2 == 0 ? second : first, 1);
        long order = 200 + i;
        answers.add(pool.submit(() -> reserve(UUID.randomUUID(), order, lines).statusCode()));
      }
      List<Integer> codes = new ArrayList<>();
      for (Future<Integer> answer : answers) {
        codes.add(answer.get());
      }
      assertEquals(7, codes.stream().filter(c -> c == 201).count(), codes::toString);
      assertEquals(13, codes.stream().filter(c -> c == 409).count(), codes::toString);
    } finally {
      pool.shutdownNow();
    }
    assertEquals(0, stock(first));
    assertEquals(0, stock(second));
  }

  @Test
  void aProductLockedTooLongIsA503NotAQueue() {
    long id = Products.create("kitchen", 100);
    SqlConnection lock = database.getConnection().await().atMost(Duration.ofSeconds(10));
    try {
      lock.query("BEGIN").execute().await().atMost(Duration.ofSeconds(10));
      lock.preparedQuery("SELECT 1 FROM catalog.product WHERE id = $1 FOR UPDATE")
          .execute(Tuple.of(id))
          .await()
          .indefinitely();
      reserve(UUID.randomUUID(), 9, Map.of(id, 1))
          .then()
          .statusCode(503)
          .header("Retry-After", org.hamcrest.Matchers.notNullValue())
          .contentType("application/problem+json");
    } finally {
      lock.query("ROLLBACK").execute().await().atMost(Duration.ofSeconds(10));
      lock.close().await().atMost(Duration.ofSeconds(10));
    }
    assertEquals(7, stock(id));
  }

  /**
   * lock_timeout bounds each wait, not a reservation's waits together: four rows held a second more
   * each, one after the other, add up to 4 s without any one wait reaching its 2 s. order-service
   * gives an attempt 3 s, and counts one that outlives it against the catalog; "product busy" it
   * does not.
   */
  @Test
  void aReservationWaitingOnRowAfterRowIsBusyWithinItsBudget() throws Exception {
    List<Long> products = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      products.add(Products.create("kitchen", 100));
    }
    List<SqlConnection> locks = new ArrayList<>();
    ScheduledExecutorService releasing = Executors.newSingleThreadScheduledExecutor();
    try {
      for (long id : products) {
        SqlConnection lock = database.getConnection().await().atMost(Duration.ofSeconds(10));
        locks.add(lock);
        lock.query("BEGIN").execute().await().atMost(Duration.ofSeconds(10));
        lock.preparedQuery("SELECT 1 FROM catalog.product WHERE id = $1 FOR UPDATE")
            .execute(Tuple.of(id))
            .await()
            .atMost(Duration.ofSeconds(10));
      }
      Map<Long, Integer> lines = new LinkedHashMap<>();
      products.forEach(id -> lines.put(id, 1));
      CompletableFuture<io.restassured.response.Response> answer =
          CompletableFuture.supplyAsync(() -> reserve(UUID.randomUUID(), 10, lines));
      await().atMost(Duration.ofSeconds(10)).until(() -> waitingOnALock() > 0);
      for (int i = 0; i < locks.size(); i++) {
        SqlConnection lock = locks.get(i);
        releasing.schedule(
            () -> lock.query("ROLLBACK").execute().await().atMost(Duration.ofSeconds(10)),
            1_000L * (i + 1),
            TimeUnit.MILLISECONDS);
      }
      answer
          .get(30, TimeUnit.SECONDS)
          .then()
          .statusCode(503)
          .header("Retry-After", org.hamcrest.Matchers.notNullValue())
          .body("type", equalTo(ProductBusy.TYPE));
    } finally {
      releasing.shutdown();
      releasing.awaitTermination(30, TimeUnit.SECONDS);
      for (SqlConnection lock : locks) {
        lock.query("ROLLBACK").execute().await().atMost(Duration.ofSeconds(10));
        lock.close().await().atMost(Duration.ofSeconds(10));
      }
    }
    for (long id : products) {
      assertEquals(7, stock(id));
    }
  }

  /** How many reservations wait for a lock now. */
  private long waitingOnALock() {
    return database
        .query(
            "SELECT count(*) FROM pg_stat_activity"
                + " WHERE wait_event_type = 'Lock' AND query LIKE '%reserve_stock%'")
        .execute()
        .await()
        .atMost(Duration.ofSeconds(10))
        .iterator()
        .next()
        .getLong(0);
  }

  @Test
  void aReservationAnswersItsLinesAsSoldAndARetryTheSamePricesAfterAChange() {
    long first = Products.create("kitchen", 100);
    long second = Products.create("kitchen", 250);
    UUID placement = UUID.randomUUID();
    Map<Long, Integer> lines = new LinkedHashMap<>();
    lines.put(second, 2);
    lines.put(first, 1);

    reserve(placement, 8, lines)
        .then()
        .statusCode(201)
        .body("lines.product_id", contains((int) second, (int) first))
        .body("lines.price_cents", contains(250, 100))
        .body("lines.quantity", contains(2, 1))
        .body("lines.currency", contains("EUR", "EUR"))
        .body("lines[0].sku", startsWith("T-"))
        .body("lines[0].name", equalTo("Test product"));
    assertEquals(6, stock(first));

    // The order is priced by what the reservation sold: a retry after a lost answer must not
    // answer a price set in between.
    Products.setPrice(first, 999);
    reserve(placement, 8, lines)
        .then()
        .statusCode(200)
        .body("lines.product_id", contains((int) second, (int) first))
        .body("lines.price_cents", contains(250, 100));
  }

  @Test
  void anUnknownProductOrMixedCurrenciesAre422AndTakeNothingEver() {
    long id = Products.create("kitchen", 100);
    UUID unknown = UUID.randomUUID();
    reserve(unknown, 5, Map.of(id, 1, 999_999_999L, 1))
        .then()
        .statusCode(422)
        .contentType("application/problem+json")
        .body("detail", equalTo("Unknown product 999999999"));
    // Refused for good, like a placement out of stock: an earlier attempt still on its way
    // cannot take stock after the order was given up.
    reserve(unknown, 5, Map.of(id, 1)).then().statusCode(410);

    Map<String, Object> dollars = new HashMap<>(Products.body("kitchen", 100));
    dollars.put("currency", "USD");
    long other = Products.create(dollars);
    reserve(UUID.randomUUID(), 5, Map.of(id, 1, other, 1))
        .then()
        .statusCode(422)
        .body("detail", equalTo("All items of an order must share a currency"));
    assertEquals(7, stock(id));
    assertEquals(7, stock(other));
  }

  @Test
  void aRepeatedProductIsRefused() {
    long id = Products.create("kitchen", 100);
    given()
        .header("Authorization", SERVICE_BEARER)
        .contentType(ContentType.JSON)
        .body(
            Map.of(
                "order_id",
                5,
                "lines",
                List.of(
                    Map.of("product_id", id, "quantity", 1),
                    Map.of("product_id", id, "quantity", 2))))
        .put("/api/stock/reservations/" + UUID.randomUUID())
        .then()
        .statusCode(422);
    assertEquals(7, stock(id));
  }

  @Test
  void onlyServicesReserveOrRelease() {
    long id = Products.create("kitchen", 100);
    UUID placement = UUID.randomUUID();
    given()
        .contentType(ContentType.JSON)
        .body(Map.of("order_id", 6, "lines", List.of(Map.of("product_id", id, "quantity", 1))))
        .put("/api/stock/reservations/" + placement)
        .then()
        .statusCode(401);
    given().delete("/api/stock/reservations/" + placement).then().statusCode(401);
    assertEquals(7, stock(id));
  }
}
