package dev.souq.order.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.souq.order.Shopper;
import dev.souq.testing.CatalogTestResource;
import dev.souq.testing.SouqTestResource;
import dev.souq.testing.Tokens;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@QuarkusTest
@WithTestResource(value = SouqTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = CatalogTestResource.class, scope = TestResourceScope.GLOBAL)
class OrderFlowTest {
  @ConfigProperty(name = "quarkus.rest-client.catalog.url")
  String catalog;

  @TestHTTPResource("/api/orders/")
  URI orders;

  private long price(long productId) {
    return given()
        .baseUri(catalog)
        .get("/api/products/" + productId)
        .jsonPath()
        .getLong("price_cents");
  }

  @Test
  void workerServiceReadsAndMovesAnyOrderWithTheServiceToken() {
    long order = Shopper.start().placeOrder(1, 1);
    String service = Tokens.SERVICE_BEARER;
    given()
        .header("Authorization", service)
        .get("/api/orders/" + order)
        .then()
        .statusCode(200)
        .body("id", equalTo((int) order));
    given()
        .header("Authorization", service)
        .contentType(ContentType.JSON)
        .body(Map.of("status", "PAID"))
        .post("/api/orders/" + order + "/status")
        .then()
        .statusCode(200)
        .body("status", equalTo("PAID"));
    given()
        .header("Authorization", service + "x")
        .contentType(ContentType.JSON)
        .body(Map.of("status", "SHIPPED"))
        .post("/api/orders/" + order + "/status")
        .then()
        .statusCode(401);
  }

  @Test
  void orderIsPricedByTheCatalogNotTheClient() {
    Shopper shopper = Shopper.start();
    long expected = price(1) * 2 + price(2);
    shopper
        .order(Map.of(1L, 2, 2L, 1))
        .then()
        .statusCode(201)
        .body("status", equalTo("PENDING"))
        .body("total_cents", equalTo((int) expected))
        .body("items", hasSize(2))
        .body("history[0].status", equalTo("PENDING"));
  }

  @Test
  void placementAnswerIsWhatALaterReadShows() {
    Shopper shopper = Shopper.start();
    // Lines in the order asked; the same product twice is one line (one catalog lookup each).
    List<Map<String, Object>> items =
        List.of(
            Map.of("product_id", 3, "quantity", 1),
            Map.of("product_id", 1, "quantity", 2),
            Map.of("product_id", 3, "quantity", 4));
    String placed =
        given()
            .cookie("SOUQ_SESSION", shopper.session())
            .contentType(ContentType.JSON)
            .body(Map.of("items", items))
            .post("/api/orders")
            .then()
            .statusCode(201)
            .body("items.product_id", org.hamcrest.Matchers.contains(3, 1))
            .body("items.quantity", org.hamcrest.Matchers.contains(5, 2))
            .body("total_cents", equalTo((int) (price(3) * 5 + price(1) * 2)))
            .extract()
            .asString();
    long id = io.restassured.path.json.JsonPath.from(placed).getLong("id");
    String read =
        given()
            .cookie("SOUQ_SESSION", shopper.session())
            .get("/api/orders/" + id)
            .then()
            .statusCode(200)
            .extract()
            .asString();
    assertEquals(
        io.restassured.path.json.JsonPath.from(placed).getMap(""),
        io.restassured.path.json.JsonPath.from(read).getMap(""));
  }

  @Test
  void orderFromTheCartEmptiesTheCart() {
    Shopper shopper = Shopper.start();
    given()
        .cookie("SOUQ_SESSION", shopper.session())
        .contentType(ContentType.JSON)
        .body(Map.of("items", List.of(Map.of("product_id", 4, "quantity", 3))))
        .put("/api/cart")
        .then()
        .statusCode(200);
    given()
        .cookie("SOUQ_SESSION", shopper.session())
        .contentType(ContentType.JSON)
        .body("{}")
        .post("/api/orders")
        .then()
        .statusCode(201)
        .body("items[0].quantity", equalTo(3));
    given()
        .cookie("SOUQ_SESSION", shopper.session())
        .get("/api/cart")
        .then()
        .body("items", hasSize(0));
    given()
        .cookie("SOUQ_SESSION", shopper.session())
        .get("/api/orders")
        .then()
        .body("", hasSize(1));
  }

  @Test
  void emptyOrUnknownItemsWriteNothing() {
    Shopper shopper = Shopper.start();
    given()
        .cookie("SOUQ_SESSION", shopper.session())
        .contentType(ContentType.JSON)
        .body("{}")
        .post("/api/orders")
        .then()
        .statusCode(422)
        .contentType("application/problem+json");
    shopper
        .order(Map.of(1L, 1, 987654321L, 1))
        .then()
        .statusCode(422)
        .body("detail", equalTo("Unknown product 987654321"));
    given()
        .cookie("SOUQ_SESSION", shopper.session())
        .get("/api/orders")
        .then()
        .body("", hasSize(0));
  }

  @Test
  void anotherUsersOrderIsInvisible() {
    Shopper alice = Shopper.start();
    Shopper bob = Shopper.start();
    long order = alice.placeOrder(1, 1);
    given()
        .cookie("SOUQ_SESSION", alice.session())
        .get("/api/orders/" + order)
        .then()
        .statusCode(200);
    given()
        .cookie("SOUQ_SESSION", bob.session())
        .get("/api/orders/" + order)
        .then()
        .statusCode(404)
        .contentType("application/problem+json");
    given().cookie("SOUQ_SESSION", bob.session()).get("/api/orders").then().body("", hasSize(0));
  }

  @Test
  void operatorReadsAnyOrderButAWrongTokenIsNoOperator() {
    long order = Shopper.start().placeOrder(2, 3);
    given()
        .header("Authorization", Tokens.ADMIN_BEARER)
        .get("/api/orders/" + order)
        .then()
        .statusCode(200)
        .body("id", equalTo((int) order))
        .body("items[0].quantity", equalTo(3));
    given()
        .header("Authorization", "Bearer wrong-token")
        .get("/api/orders/" + order)
        .then()
        .statusCode(401);
  }

  @Test
  void aPayerMovesAnOrderToPaidOnlyWithItsTotal() {
    long order = Shopper.start().placeOrder(5, 2);
    io.restassured.path.json.JsonPath placed =
        new io.restassured.path.json.JsonPath(Shopper.readAsOperator(order));
    long total = placed.getLong("total_cents");
    String currency = placed.getString("currency");

    pay(order, Map.of("amount_cents", total + 1, "currency", currency))
        .then()
        .statusCode(409)
        .contentType("application/problem+json");
    pay(order, Map.of("amount_cents", total, "currency", "XTS")).then().statusCode(409);
    pay(order, Map.of("amount_cents", total)).then().statusCode(400);
    pay(order, Map.of("amount_cents", total, "currency", currency))
        .then()
        .statusCode(200)
        .body("status", equalTo("PAID"));
  }

  /** worker-service's move to PAID: the status and what it charged. */
  private static io.restassured.response.Response pay(long order, Map<String, Object> charged) {
    Map<String, Object> body = new LinkedHashMap<>(charged);
    body.put("status", "PAID");
    return given()
        .header("Authorization", Tokens.SERVICE_BEARER)
        .contentType(ContentType.JSON)
        .body(body)
        .post("/api/orders/" + order + "/status");
  }

  @Test
  void statusMachineAllowsOnlyItsTransitions() {
    long order = Shopper.start().placeOrder(5, 1);
    Shopper.changeStatus(order, "SHIPPED")
        .then()
        .statusCode(409)
        .contentType("application/problem+json");
    Shopper.changeStatus(order, "PAID").then().statusCode(200).body("status", equalTo("PAID"));
    Shopper.changeStatus(order, "PENDING").then().statusCode(409);
    Shopper.changeStatus(order, "SHIPPED").then().statusCode(200);
    Shopper.changeStatus(order, "CANCELLED").then().statusCode(409);
    Shopper.changeStatus(order, "DELIVERED")
        .then()
        .statusCode(200)
        .body("history.status", equalTo(List.of("PENDING", "PAID", "SHIPPED", "DELIVERED")));
    Shopper.changeStatus(order, "LOST").then().statusCode(400);
    Shopper.changeStatus(987654321L, "PAID").then().statusCode(404);
    given()
        .contentType(ContentType.JSON)
        .body(Map.of("status", "PAID"))
        .post("/api/orders/" + order + "/status")
        .then()
        .statusCode(401);
  }

  /**
   * The change's answer is built from the row it locked and what its one statement read back, not
   * from a read after the commit: it must be the order exactly as a later read shows it.
   */
  @Test
  void statusChangeAnswersTheOrderAsALaterReadShowsIt() throws Exception {
    Map<Long, Integer> lines = new LinkedHashMap<>();
    lines.put(7L, 2);
    lines.put(3L, 1);
    long order =
        Shopper.start().order(lines).then().statusCode(201).extract().jsonPath().getLong("id");
    ObjectMapper json = new ObjectMapper();
    for (String status : List.of("PAID", "SHIPPED")) {
      String answered =
          Shopper.changeStatus(order, status).then().statusCode(200).extract().asString();
      assertEquals(json.readTree(Shopper.readAsOperator(order)), json.readTree(answered), status);
    }
    Shopper.changeStatus(order, "DELIVERED")
        .then()
        .body("items.product_id", equalTo(List.of(7, 3)))
        .body(
            "history.previous_status", equalTo(Arrays.asList(null, "PENDING", "PAID", "SHIPPED")));
  }

  /** The list is read in one statement: each entry must be the order as its own read shows it. */
  @Test
  void myOrdersAreListedNewestFirstEachAsItsOwnReadShowsIt() throws Exception {
    Shopper alice = Shopper.start();
    Map<Long, Integer> lines = new LinkedHashMap<>();
    lines.put(4L, 1);
    lines.put(9L, 3);
    long first = alice.order(lines).then().statusCode(201).extract().jsonPath().getLong("id");
    long second = alice.placeOrder(2, 1);
    Shopper.changeStatus(first, "PAID").then().statusCode(200);
    Shopper.start().placeOrder(2, 1); // someone else's
    ObjectMapper json = new ObjectMapper();
    JsonNode mine =
        json.readTree(
            given()
                .cookie("SOUQ_SESSION", alice.session())
                .get("/api/orders")
                .then()
                .statusCode(200)
                .extract()
                .asString());
    assertEquals(2, mine.size());
    List<Long> ids = List.of(second, first);
    for (int i = 0; i < ids.size(); i++) {
      String read =
          given()
              .cookie("SOUQ_SESSION", alice.session())
              .get("/api/orders/" + ids.get(i))
              .then()
              .statusCode(200)
              .extract()
              .asString();
      assertEquals(json.readTree(read), mine.get(i));
    }
    assertEquals(2, mine.get(1).get("items").size());
    assertEquals(2, mine.get(1).get("history").size());
  }

  @Test
  void myOrdersComeAPageAtATimeEachPageLinkingTheNextOlderOne() {
    Shopper alice = Shopper.start();
    long first = alice.placeOrder(2, 1);
    Shopper.start().placeOrder(2, 1); // someone else's, between hers
    long second = alice.placeOrder(2, 1);
    long third = alice.placeOrder(2, 1);

    Response newest = alice.mine("?limit=2");
    assertEquals(List.of(third, second), newest.jsonPath().getList("id", Long.class));
    String next = newest.header("Link");
    assertEquals("</api/orders?before=" + second + "&limit=2>; rel=\"next\"", next);

    Response older = alice.mine(next.substring(next.indexOf('?'), next.indexOf('>')));
    assertEquals(List.of(first), older.jsonPath().getList("id", Long.class));
    assertNull(older.header("Link"));

    // A page that ends with the last order links to no next one.
    Response last = alice.mine("?before=" + third + "&limit=2");
    assertEquals(List.of(second, first), last.jsonPath().getList("id", Long.class));
    assertNull(last.header("Link"));

    Response all = alice.mine("");
    assertEquals(List.of(third, second, first), all.jsonPath().getList("id", Long.class));
    assertNull(all.header("Link"));
  }

  /** Out of range is 400; not a 64-bit integer is 404, as JAX-RS answers every such parameter. */
  @ParameterizedTest
  @CsvSource({
    "limit=0, 400",
    "limit=51, 400",
    "before=0, 400",
    "before=-1, 400",
    "limit=abc, 404",
    "before=abc, 404",
    "before=99999999999999999999, 404"
  })
  void aBadPageIsAProblemNotAnError(String query, int status) {
    given()
        .cookie("SOUQ_SESSION", Shopper.start().session())
        .urlEncodingEnabled(false)
        .get("/api/orders?" + query)
        .then()
        .statusCode(status)
        .contentType("application/problem+json");
  }

  @Test
  void concurrentChangesOfOneOrderAreSerialised() {
    long order = Shopper.start().placeOrder(6, 1);
    HttpClient client = HttpClient.newHttpClient();
    HttpRequest pay =
        HttpRequest.newBuilder(orders.resolve(order + "/status"))
            .header("Authorization", Tokens.ADMIN_BEARER)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"status\":\"PAID\"}"))
            .build();
    List<CompletableFuture<HttpResponse<String>>> all = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      all.add(client.sendAsync(pay, HttpResponse.BodyHandlers.ofString()));
    }
    long ok = all.stream().filter(f -> f.join().statusCode() == 200).count();
    long conflicts = all.stream().filter(f -> f.join().statusCode() == 409).count();
    assertEquals(1, ok, "exactly one PENDING -> PAID");
    assertEquals(9, conflicts);
  }

  @Test
  void catalogDownIs503WithRetryAfterAndWritesNothing() {
    Shopper shopper = Shopper.start();
    var catalogProxy = CatalogTestResource.catalogProxy();
    catalogProxy.cut();
    try {
      shopper
          .order(Map.of(10L, 1))
          .then()
          .statusCode(503)
          .header("Retry-After", "5")
          .contentType("application/problem+json");
    } finally {
      catalogProxy.restore();
    }
    given()
        .cookie("SOUQ_SESSION", shopper.session())
        .get("/api/orders")
        .then()
        .body("", hasSize(0));
  }
}
