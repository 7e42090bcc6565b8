package dev.souq.catalog.rest;

import static dev.souq.catalog.Reservations.reserve;
import static dev.souq.catalog.Reservations.stock;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.souq.catalog.Products;
import dev.souq.testing.SouqTestResource;
import dev.souq.testing.Tokens;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * An operator changes stock against real PostgreSQL and Redis while orders reserve it: a relative
 * adjustment and a product edit without stock never undo a reservation nor fail because of one, and
 * the cached product shows the new stock at once. Products.create gives each product stock 7.
 */
@QuarkusTest
@WithTestResource(value = SouqTestResource.class, scope = TestResourceScope.GLOBAL)
class StockAdjustmentTest {

  @Test
  void aRestockAddsToWhatIsLeftAndTheCachedProductShowsIt() {
    long id = Products.create("garden", 100);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> "HIT".equals(given().get("/api/products/" + id).header("X-Cache")));

    adjust(id, 5).then().statusCode(200).body("stock", equalTo(12)).body("id", equalTo((int) id));
    assertEquals(12, stock(id));
    adjust(id, -12).then().statusCode(200).body("stock", equalTo(0));
    assertEquals(0, stock(id));
  }

  @Test
  void aWriteOffOfMoreThanIsLeftOrARestockPastTheMostIsRefusedAndChangesNothing() {
    long id = Products.create("garden", 100);
    adjust(id, -8)
        .then()
        .statusCode(409)
        .contentType("application/problem+json")
        .body("product_id", equalTo((int) id))
        .body("available", equalTo(7));
    adjust(id, 1_000_000_000).then().statusCode(422).contentType("application/problem+json");
    assertEquals(7, stock(id));
  }

  @Test
  void anEditWithoutStockKeepsWhatReservationsLeft() {
    long id = Products.create("garden", 100);
    reserve(UUID.randomUUID(), 1, Map.of(id, 3)).then().statusCode(201);

    Map<String, Object> edit = new HashMap<>(Products.body("garden", 250));
    edit.remove("stock");
    operator()
        .contentType(ContentType.JSON)
        .body(edit)
        .put("/api/products/" + id)
        .then()
        .statusCode(200)
        .body("price_cents", equalTo(250))
        .body("stock", equalTo(4));
    assertEquals(4, stock(id));
  }

  @Test
  void aProductCreatedWithoutStockHasNone() {
    Map<String, Object> body = new HashMap<>(Products.body("garden", 100));
    body.remove("stock");
    operator()
        .contentType(ContentType.JSON)
        .body(body)
        .post("/api/products")
        .then()
        .statusCode(201)
        .body("stock", equalTo(0));
  }

  @Test
  void editsRestocksAndReservationsAtOnceAllSucceedAndLoseNoChange() throws Exception {
    long id = Products.create("garden", 100);
    adjust(id, 993).then().statusCode(200).body("stock", equalTo(1000));
    Map<String, Object> edit = new HashMap<>(Products.body("garden", 300));
    edit.remove("stock");
    List<Callable<Integer>> calls = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      long order = i + 1;
      calls.add(() -> reserve(UUID.randomUUID(), order, Map.of(id, 1)).statusCode());
      if (i % 3 == 0) {
        calls.add(() -> adjust(id, 1).statusCode());
        calls.add(
            () ->
                operator()
                    .contentType(ContentType.JSON)
                    .body(edit)
                    .put("/api/products/" + id)
                    .statusCode());
      }
    }
    ExecutorService pool = Executors.newFixedThreadPool(16);
    try {
      for (Future<Integer> call : pool.invokeAll(calls)) {
        int status = call.get();
        assertEquals(true, status == 200 || status == 201, "status " + status);
      }
    } finally {
      pool.shutdownNow();
    }
    // Every edit succeeded (unlocked, one racing a reservation fails on the version it moved), and
    // the stock is exact: 60 reserved one each, 20 restocks of one.
    assertEquals(1000 - 60 + 20, stock(id));
  }

  @Test
  void onlyOperatorsAdjustAndBadAdjustmentsAreRefused() {
    long id = Products.create("garden", 100);
    given()
        .contentType(ContentType.JSON)
        .body(Map.of("delta", 1))
        .post("/api/products/" + id + "/stock")
        .then()
        .statusCode(401);
    given()
        .header("Authorization", Tokens.SERVICE_BEARER)
        .contentType(ContentType.JSON)
        .body(Map.of("delta", 1))
        .post("/api/products/" + id + "/stock")
        .then()
        .statusCode(401);
    operator()
        .contentType(ContentType.JSON)
        .body(Map.of())
        .post("/api/products/" + id + "/stock")
        .then()
        .statusCode(400);
    adjust(999_999_999L, 1).then().statusCode(404);
    assertEquals(7, stock(id));
  }

  private static io.restassured.specification.RequestSpecification operator() {
    return given().header("Authorization", Tokens.ADMIN_BEARER);
  }

  private static Response adjust(long id, int delta) {
    return operator()
        .contentType(ContentType.JSON)
        .body(Map.of("delta", delta))
        .post("/api/products/" + id + "/stock");
  }
}
