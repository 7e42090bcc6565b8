package dev.souq.order.rest;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.souq.order.Shopper;
import dev.souq.testing.CatalogTestResource;
import dev.souq.testing.RedisCommand;
import dev.souq.testing.SouqTestResource;
import dev.souq.testing.TestStack;
import dev.souq.testing.Tokens;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Stock stays right when placing an order fails half-way, against the real catalog and PostgreSQL:
 * a reservation whose answer never came in time, and an order its request never finished. Each ends
 * with exactly one release_stock job for the placement, which gives the stock back (the job is run
 * here by calling the catalog as worker-service would).
 */
@QuarkusTest
@WithTestResource(value = SouqTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = CatalogTestResource.class, scope = TestResourceScope.GLOBAL)
class StockFailuresTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Inject Pool pool;

  @ConfigProperty(name = "quarkus.rest-client.catalog.url")
  String catalog;

  @Test
  void aReservationThatAnswersTooLateLeavesNoOrderAndIsReleased() throws Exception {
    long product = product(5);
    Shopper shopper = Shopper.start();
    // The catalog's reservation waits on this row lock; the order's lookup (a plain read) does not.
    SqlConnection lock = pool.getConnection().await().indefinitely();
    Response answer;
    try {
      lock.query("BEGIN").execute().await().indefinitely();
      lock.preparedQuery("SELECT 1 FROM catalog.product WHERE id = $1 FOR UPDATE")
          .execute(Tuple.of(product))
          .await()
          .indefinitely();
      answer = shopper.order(Map.of(product, 2));
    } finally {
      lock.query("COMMIT").execute().await().indefinitely();
      lock.close().await().indefinitely();
    }

    answer.then().statusCode(503).header("Retry-After", org.hamcrest.Matchers.notNullValue());
    assertEquals(List.of(), shopper.mine());
    // The catalog finished the reservation once the lock was gone: it holds 2 for a placement
    // whose order was abandoned, with one release job owed for it.
    await().atMost(Duration.ofSeconds(10)).until(() -> stock(product) == 3);
    UUID placement = placementOf(product);
    await().atMost(Duration.ofSeconds(10)).until(() -> releases(placement).size() == 1);

    release(placement);
    assertEquals(5, stock(product));
  }

  @Test
  void anOrderWhoseRequestNeverFinishedIsGivenUpAndItsStockReleased() throws Exception {
    long product = product(5);
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
        pool.preparedQuery(
                "INSERT INTO orders.customer_order (user_id, status, total_cents, currency,"
                    + " created_at, updated_at, placement, stock_state) VALUES ('u_crashed',"
                    + " 'PENDING', 100, 'EUR', now() - interval '1 hour', now(), $1, 'RESERVING')"
                    + " RETURNING id")
            .execute(Tuple.of(placement))
            .await()
            .indefinitely()
            .iterator()
            .next()
            .getLong(0);
    assertEquals(1, stock(product));
    // Never seen while RESERVING.
    given()
        .header("Authorization", Tokens.ADMIN_BEARER)
        .get("/api/orders/" + order)
        .then()
        .statusCode(404);

    // The reconciler (every second in tests) deletes it and owes exactly one release.
    await().atMost(Duration.ofSeconds(20)).until(() -> releases(placement).size() == 1);
    assertEquals(
        0,
        pool.preparedQuery("SELECT count(*) FROM orders.customer_order WHERE id = $1")
            .execute(Tuple.of(order))
            .await()
            .indefinitely()
            .iterator()
            .next()
            .getLong(0));
    release(placement);
    assertEquals(5, stock(product));
    assertEquals(1, releases(placement).size());
  }

  private long product(int stock) {
    return given()
        .baseUri(catalog)
        .header("Authorization", Tokens.ADMIN_BEARER)
        .contentType(ContentType.JSON)
        .body(
            Map.of(
                "sku",
                "FAIL-" + UUID.randomUUID().toString().substring(0, 8),
                "name",
                "Half-way",
                "price_cents",
                500,
                "currency",
                "EUR",
                "category",
                "test",
                "stock",
                stock))
        .post("/api/products")
        .then()
        .statusCode(201)
        .extract()
        .jsonPath()
        .getLong("id");
  }

  private int stock(long product) {
    return given().baseUri(catalog).get("/api/products/" + product).jsonPath().getInt("stock");
  }

  /** The one placement the catalog holds stock of this product for. */
  private UUID placementOf(long product) {
    var rows =
        pool.preparedQuery(
                "SELECT r.placement FROM catalog.stock_reservation r JOIN"
                    + " catalog.stock_reservation_line l USING (placement)"
                    + " WHERE l.product_id = $1 AND r.state = 'HELD'")
            .execute(Tuple.of(product))
            .await()
            .indefinitely();
    assertEquals(1, rows.size());
    return rows.iterator().next().getUUID(0);
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

  /** The release_stock jobs on tasks for the placement. */
  private static List<JsonNode> releases(UUID placement) throws Exception {
    List<JsonNode> found = new ArrayList<>();
    for (String raw : RedisCommand.list(TestStack.get().redisUrl(), "LRANGE", "tasks", "0", "-1")) {
      JsonNode job = JSON.readTree(raw);
      if ("release_stock".equals(job.path("type").asText())
          && placement.toString().equals(job.path("payload").path("placement").asText())) {
        found.add(job);
      }
    }
    assertTrue(found.size() <= 1, "one release per placement: " + found);
    return found;
  }
}
