package dev.souq.order.rest;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.souq.order.QueuedJobs;
import dev.souq.order.RealDatabase;
import dev.souq.order.Shopper;
import dev.souq.testing.CatalogProducts;
import dev.souq.testing.CatalogTestResource;
import dev.souq.testing.Management;
import dev.souq.testing.SouqTestResource;
import dev.souq.testing.Tokens;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Stock stays right when placing an order fails half-way, against the real catalog and PostgreSQL:
 * a reservation whose answer never came in time, and an order its request never finished, each end
 * with exactly one release_stock job for the placement, which gives the stock back (the job is run
 * here by calling the catalog as worker-service would); a placement whose shopper hangs up is
 * finished all the same; and one whose cart the shopper edits meanwhile keeps the edit.
 */
@QuarkusTest
@WithTestResource(value = SouqTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = CatalogTestResource.class, scope = TestResourceScope.GLOBAL)
class StockFailuresTest {

  private static final String RESERVE = "method=\"dev.souq.order.client.CatalogGateway.reserve\"";
  private static final String BREAKER_FAILURES =
      "ft_circuitbreaker_calls_total{circuitBreakerResult=\"failure\"," + RESERVE + "}";
  private static final String TIMED_OUT =
      "ft_timeout_calls_total{" + RESERVE + ",timedOut=\"true\"}";

  @Inject Pool pool;

  @ConfigProperty(name = "quarkus.rest-client.catalog.url")
  String catalog;

  @Test
  void aReservationTheCatalogCannotMakeLeavesNoOrderAndTheRefusalIsFinal() throws Exception {
    long product = CatalogProducts.create(catalog, 500, 5);
    Shopper shopper = Shopper.start();
    long before = nextOrderId();
    Instant started = Instant.now();
    // The catalog's reservation waits on this row lock past its lock_timeout (503, each of the
    // three attempts).
    Response answer = whileLocked(product, () -> shopper.order(Map.of(product, 2)));

    answer.then().statusCode(503).header("Retry-After", org.hamcrest.Matchers.notNullValue());
    assertEquals(List.of(), shopper.mine());
    assertEquals(5, CatalogProducts.stock(catalog, product));
    // The order was abandoned with one release job for its placement, whose outcome it never
    // learnt. Run as worker-service would, it makes the placement final: an attempt of it still
    // on its way can no longer take stock.
    long order = before + 1;
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> QueuedJobs.of(QueuedJobs.RELEASE, order, started).size() == 1);
    UUID placement =
        UUID.fromString(
            QueuedJobs.of(QueuedJobs.RELEASE, order, started)
                .get(0)
                .path("payload")
                .path("placement")
                .asText());
    release(placement);
    given()
        .baseUri(catalog)
        .header("Authorization", Tokens.SERVICE_BEARER)
        .contentType(ContentType.JSON)
        .body(
            Map.of(
                "order_id", order, "lines", List.of(Map.of("product_id", product, "quantity", 2))))
        .put("/api/stock/reservations/" + placement)
        .then()
        .statusCode(410);
    assertEquals(5, CatalogProducts.stock(catalog, product));
  }

  @Test
  void linesTheCatalogCannotSellAre422AndLeaveNoOrderNorStockTaken() {
    long euros = CatalogProducts.create(catalog, 500, 5);
    long dollars = CatalogProducts.create(catalog, 500, 5, "USD");
    Shopper shopper = Shopper.start();

    shopper
        .order(Map.of(euros, 1, 987_654_321L, 1))
        .then()
        .statusCode(422)
        .contentType("application/problem+json")
        .body("detail", equalTo("Unknown product 987654321"));
    shopper
        .order(Map.of(euros, 1, dollars, 1))
        .then()
        .statusCode(422)
        .body("detail", equalTo("All items of an order must share a currency"));

    // The order written before the catalog's refusal is gone, not left RESERVING.
    assertEquals(
        0,
        pool.preparedQuery("SELECT count(*) FROM orders.customer_order WHERE user_id = $1")
            .execute(Tuple.of(shopper.userId()))
            .await()
            .indefinitely()
            .iterator()
            .next()
            .getLong(0));
    assertEquals(5, CatalogProducts.stock(catalog, euros));
    assertEquals(5, CatalogProducts.stock(catalog, dollars));
  }

  @Test
  void anOrderWhoseRequestNeverFinishedIsGivenUpAndItsStockReleased() throws Exception {
    long product = CatalogProducts.create(catalog, 500, 5);
    UUID placement = UUID.randomUUID();
    // The reservation was made, then the process died before confirming its order.
    given()
        .baseUri(catalog)
        .header("Authorization", Tokens.SERVICE_BEARER)
        .contentType(ContentType.JSON)
        .body(Map.of("order_id", 1, "lines", List.of(Map.of("product_id", product, "quantity", 4))))
        .put("/api/stock/reservations/" + placement)
        .then()
        .statusCode(201);
    long order =
        number(
            "INSERT INTO orders.customer_order (user_id, status, total_cents, currency,"
                + " created_at, updated_at, placement, stock_state) VALUES ('u_crashed',"
                + " 'PENDING', 100, 'EUR', now(), now(), $1, 'RESERVING')"
                + " RETURNING id",
            Tuple.of(placement));
    assertEquals(1, CatalogProducts.stock(catalog, product));
    // Never seen while RESERVING.
    given()
        .header("Authorization", Tokens.ADMIN_BEARER)
        .get("/api/orders/" + order)
        .then()
        .statusCode(404);

    // Only once it is older than the reservation timeout (1 min) does the reconciler (every second
    // in tests) delete it, owing exactly one release.
    pool.preparedQuery(
            "UPDATE orders.customer_order SET created_at = now() - interval '1 hour' WHERE id = $1")
        .execute(Tuple.of(order))
        .await()
        .indefinitely();
    await().atMost(Duration.ofSeconds(20)).until(() -> releases(placement).size() == 1);
    assertEquals(
        0, number("SELECT count(*) FROM orders.customer_order WHERE id = $1", Tuple.of(order)));
    release(placement);
    assertEquals(5, CatalogProducts.stock(catalog, product));
    assertEquals(1, releases(placement).size());
  }

  @Test
  void anOrderWhoseShopperHangsUpIsStillPlacedAndItsCartEmptied() throws Exception {
    long product = CatalogProducts.create(catalog, 700, 5);
    Shopper shopper = Shopper.start();
    shopper.fillCart(product, 2);
    String body = "{}";
    // The reservation waits on this row lock, so the request is still placing its order when the
    // shopper hangs up.
    whileLocked(
        product,
        () -> {
          try (Socket socket = new Socket("localhost", RestAssured.port)) {
            String request =
                "POST /api/orders HTTP/1.1\r\nHost: localhost\r\nCookie: SOUQ_SESSION="
                    + shopper.session()
                    + "\r\nContent-Type: application/json\r\nContent-Length: "
                    + body.length()
                    + "\r\n\r\n"
                    + body;
            socket.getOutputStream().write(request.getBytes(StandardCharsets.UTF_8));
            socket.getOutputStream().flush();
            await("the order written RESERVING")
                .atMost(Duration.ofSeconds(10))
                .until(() -> reserving(shopper.userId()) == 1);
          }
          return null;
        });

    // Stopped by the hang-up, it would stay RESERVING (unseen, its stock held) until the reconciler
    // gave it up a minute later.
    await("the order placed")
        .atMost(Duration.ofSeconds(20))
        .until(() -> shopper.mine().size() == 1);
    assertEquals(0, reserving(shopper.userId()));
    assertEquals(3, CatalogProducts.stock(catalog, product));
    // Else a retry would place the same cart again. It empties just after the order is written.
    await("the cart emptied")
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                given()
                    .cookie("SOUQ_SESSION", shopper.session())
                    .get("/api/cart")
                    .then()
                    .statusCode(200)
                    .body("items.size()", equalTo(0)));
  }

  @Test
  void whatTheShopperAddsToTheCartWhileItsOrderIsPlacedStaysInIt() throws Exception {
    long ordered = CatalogProducts.create(catalog, 700, 5);
    long added = CatalogProducts.create(catalog, 300, 5);
    Shopper shopper = Shopper.start();
    shopper.fillCart(ordered, 2);
    // The reservation waits on this row lock: the placement has read the cart, and another tab
    // adds a line to it before the order is placed.
    CompletableFuture<Response> placing =
        whileLocked(
            ordered,
            () -> {
              CompletableFuture<Response> placement = placeCartAsync(shopper);
              await("the order written RESERVING")
                  .atMost(Duration.ofSeconds(10))
                  .until(() -> reserving(shopper.userId()) == 1);
              given()
                  .cookie("SOUQ_SESSION", shopper.session())
                  .contentType(ContentType.JSON)
                  .body(
                      Map.of(
                          "items",
                          List.of(
                              Map.of("product_id", ordered, "quantity", 2),
                              Map.of("product_id", added, "quantity", 1))))
                  .put("/api/cart")
                  .then()
                  .statusCode(200);
              return placement;
            });

    placing.get(30, TimeUnit.SECONDS).then().statusCode(201);
    assertEquals(3, CatalogProducts.stock(catalog, ordered));
    // The ordered line is gone from the cart; the one added meanwhile stays.
    List<Map<String, Object>> cart =
        given()
            .cookie("SOUQ_SESSION", shopper.session())
            .get("/api/cart")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath()
            .getList("items");
    assertEquals(List.of(Map.of("product_id", (int) added, "quantity", 1)), cart);
  }

  @Test
  void aCartOrderedTwiceAtOnceIsPlacedOnce() throws Exception {
    long product = CatalogProducts.create(catalog, 700, 5);
    Shopper shopper = Shopper.start();
    shopper.fillCart(product, 2);
    // The first placement waits on this row lock; a double click sends the second meanwhile.
    List<CompletableFuture<Response>> both =
        whileLocked(
            product,
            () -> {
              CompletableFuture<Response> first = placeCartAsync(shopper);
              await("the first written RESERVING")
                  .atMost(Duration.ofSeconds(10))
                  .until(() -> reserving(shopper.userId()) == 1);
              CompletableFuture<Response> second = placeCartAsync(shopper);
              // Refused at once, or (as it was) placing the cart a second time.
              await("the second answered or reserving")
                  .atMost(Duration.ofSeconds(10))
                  .until(() -> second.isDone() || reserving(shopper.userId()) == 2);
              return List.of(first, second);
            });

    both.get(0).get(30, TimeUnit.SECONDS).then().statusCode(201);
    both.get(1)
        .get(30, TimeUnit.SECONDS)
        .then()
        .statusCode(409)
        .contentType("application/problem+json");
    assertEquals(1, shopper.mine().size());
    assertEquals(3, CatalogProducts.stock(catalog, product));
    // Placed and out of the cart: ordering it again is ordering nothing.
    placeCartAsync(shopper).get(30, TimeUnit.SECONDS).then().statusCode(422);
  }

  @Test
  void aRushOnOneProductDoesNotStopCheckoutForTheOthers() throws Exception {
    long rushed = CatalogProducts.create(catalog, 500, 50);
    long other = CatalogProducts.create(catalog, 500, 5);
    // A warm catalog answers a lock wait in its 2 s, within order-service's 3 s per attempt.
    Shopper.start().order(Map.of(rushed, 1)).then().statusCode(201);
    double failures = counted(BREAKER_FAILURES);
    double timeouts = counted(TIMED_OUT);
    // Every attempt of these four waits for the rushed product's row past the catalog's
    // lock_timeout: twelve failed reservations, more than the breaker's volume.
    List<Response> refused =
        whileLocked(
            rushed,
            () -> {
              List<CompletableFuture<Response>> placing = new ArrayList<>();
              for (int i = 0; i < 4; i++) {
                Shopper shopper = Shopper.start();
                placing.add(CompletableFuture.supplyAsync(() -> shopper.order(Map.of(rushed, 1))));
              }
              List<Response> answers = new ArrayList<>();
              for (CompletableFuture<Response> answer : placing) {
                answers.add(answer.get(60, TimeUnit.SECONDS));
              }
              return answers;
            });
    refused.forEach(answer -> answer.then().statusCode(503).header("Retry-After", notNullValue()));

    // Only an attempt that outlived its 3 s (a slow box) counts against the catalog; "product
    // busy" answers never do.
    double timedOut = counted(TIMED_OUT) - timeouts;
    assertEquals(timedOut, counted(BREAKER_FAILURES) - failures);
    if (timedOut == 0) {
      // So the breaker stays closed: an order of another product is placed at once.
      Shopper.start().order(Map.of(other, 1)).then().statusCode(201);
    } else {
      // Those timeouts may have opened the breaker (for 5 s): the test ends once it has closed
      // again, so that the next one does not inherit it.
      await()
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofSeconds(1))
          .until(() -> Shopper.start().order(Map.of(other, 1)).statusCode() == 201);
    }
  }

  /** A counter of order-service's metrics; 0 before it counted anything (no series yet). */
  private static double counted(String series) {
    return Math.max(0, Management.metric(series));
  }

  private static CompletableFuture<Response> placeCartAsync(Shopper shopper) {
    return CompletableFuture.supplyAsync(
        () ->
            given()
                .cookie("SOUQ_SESSION", shopper.session())
                .contentType(ContentType.JSON)
                .body("{}")
                .post("/api/orders"));
  }

  /** What {@code during} answers, run while another transaction holds the product's row lock. */
  private <T> T whileLocked(long product, Callable<T> during) throws Exception {
    // Outside the service's pool, whose bound on silence would end a lock held this long.
    try (Connection lock = RealDatabase.connect();
        PreparedStatement row =
            lock.prepareStatement("SELECT 1 FROM catalog.product WHERE id = ? FOR UPDATE")) {
      lock.setAutoCommit(false);
      row.setLong(1, product);
      row.executeQuery().close();
      try {
        return during.call();
      } finally {
        lock.commit();
      }
    }
  }

  /** How many of the user's orders are still reserving their stock. */
  private long reserving(String userId) {
    return number(
        "SELECT count(*) FROM orders.customer_order"
            + " WHERE user_id = $1 AND stock_state = 'RESERVING'",
        Tuple.of(userId));
  }

  /** An order id taken from the sequence: the next order gets the one after it. */
  private long nextOrderId() {
    return number("SELECT nextval('orders.customer_order_id_seq')", Tuple.tuple());
  }

  /** The first column of the first row {@code sql} answers, as a number. */
  private long number(String sql, Tuple parameters) {
    return pool.preparedQuery(sql)
        .execute(parameters)
        .await()
        .indefinitely()
        .iterator()
        .next()
        .getLong(0);
  }

  /** What worker-service's release_stock job does. */
  private void release(UUID placement) {
    given()
        .baseUri(catalog)
        .header("Authorization", Tokens.SERVICE_BEARER)
        .delete("/api/stock/reservations/" + placement)
        .then()
        .statusCode(204);
  }

  /** The release_stock jobs for the placement (a new UUID: any queued at any time). */
  private static List<JsonNode> releases(UUID placement) throws Exception {
    List<JsonNode> found =
        QueuedJobs.since(
            QueuedJobs.RELEASE,
            Instant.EPOCH,
            p -> placement.toString().equals(p.path("placement").asText()));
    assertTrue(found.size() <= 1, "one release per placement: " + found);
    return found;
  }
}
