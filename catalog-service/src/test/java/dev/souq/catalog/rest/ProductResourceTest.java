package dev.souq.catalog.rest;

import static dev.souq.testing.Tokens.ADMIN_BEARER;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.oneOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.souq.catalog.Products;
import dev.souq.testing.Management;
import dev.souq.testing.SouqTestResource;
import dev.souq.testing.Tokens;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@QuarkusTest
@WithTestResource(value = SouqTestResource.class, scope = TestResourceScope.GLOBAL)
class ProductResourceTest {

  @Test
  void createdProductIsReadBackFirstFromPostgresThenFromTheCache() {
    long id = Products.create("kitchen", 1234);
    given()
        .get("/api/products/" + id)
        .then()
        .statusCode(200)
        .contentType(ContentType.JSON)
        .header("X-Cache", oneOf("MISS", "BYPASS"))
        .body("id", equalTo((int) id))
        .body("price_cents", equalTo(1234))
        .body("currency", equalTo("EUR"));
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(10))
        .until(() -> "HIT".equals(given().get("/api/products/" + id).header("X-Cache")));
    given().get("/api/products/" + id).then().body("price_cents", equalTo(1234));
  }

  @Test
  void updateIsVisibleImmediatelyAfterItReturns() {
    long id = Products.create("kitchen", 100);
    given().get("/api/products/" + id).then().statusCode(200);
    given().get("/api/products/" + id).then().statusCode(200);
    Products.setPrice(id, 200);
    given().get("/api/products/" + id).then().body("price_cents", equalTo(200));
  }

  @Test
  void deleteMakesTheProductDisappearIncludingFromTheCache() {
    long id = Products.create("toys", 500);
    given().get("/api/products/" + id).then().statusCode(200);
    given()
        .header("Authorization", ADMIN_BEARER)
        .delete("/api/products/" + id)
        .then()
        .statusCode(204);
    given()
        .get("/api/products/" + id)
        .then()
        .statusCode(404)
        .contentType("application/problem+json")
        .body("status", equalTo(404));
    given()
        .header("Authorization", ADMIN_BEARER)
        .delete("/api/products/" + id)
        .then()
        .statusCode(404);
  }

  @Test
  void listIsPagedFilteredByCategoryAndInIdOrder() {
    String category = "cat-" + System.nanoTime();
    long first = Products.create(category, 1);
    long second = Products.create(category, 2);
    long third = Products.create(category, 3);
    given()
        .queryParam("category", category)
        .queryParam("size", 2)
        .get("/api/products")
        .then()
        .statusCode(200)
        .body("total", equalTo(3))
        .body("page", equalTo(0))
        .body("size", equalTo(2))
        .body("items.id", equalTo(List.of((int) first, (int) second)))
        .body("items.category", everyItem(equalTo(category)));
    given()
        .queryParam("category", category)
        .queryParam("size", 2)
        .queryParam("page", 1)
        .get("/api/products")
        .then()
        .body("items.id", equalTo(List.of((int) third)));
    // A write to the category shows on its cached list page at once.
    Products.create(category, 4);
    given()
        .queryParam("category", category)
        .queryParam("size", 2)
        .queryParam("page", 1)
        .get("/api/products")
        .then()
        .body("items", hasSize(2))
        .body("total", equalTo(4));
  }

  @Test
  void categoriesAreListedOnceEachInOrderAndANewOneShowsAtOnce() {
    List<String> before =
        given()
            .get("/api/products/categories")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath()
            .getList("items", String.class);
    assertTrue(before.containsAll(List.of("books", "kitchen")), before.toString());
    assertEquals(before.stream().distinct().sorted().toList(), before, "once each, in order");

    // Cached as a list page: a product in a new category shows in it with the write's answer.
    String category = "new-" + System.nanoTime();
    Products.create(category, 1);
    Products.create(category, 2);
    List<String> after =
        given().get("/api/products/categories").jsonPath().getList("items", String.class);
    assertEquals(before.size() + 1, after.size(), after.toString());
    assertTrue(after.contains(category), after.toString());
    assertEquals(after.stream().sorted().toList(), after, "in order");
  }

  @Test
  void freshDatabaseHasSeedProductsInSeveralCategories() {
    given()
        .queryParam("category", "books")
        .get("/api/products")
        .then()
        .statusCode(200)
        .body("total", greaterThanOrEqualTo(6));
    given()
        .get("/api/products")
        .then()
        .body("items", hasSize(lessThanOrEqualTo(20)))
        .body("size", equalTo(20));
  }

  @Test
  void writesNeedTheAdminToken() {
    var body = Products.body("kitchen", 1);
    given()
        .contentType(ContentType.JSON)
        .body(body)
        .post("/api/products")
        .then()
        .statusCode(401)
        .header("WWW-Authenticate", containsString("Bearer"))
        .contentType("application/problem+json");
    given()
        .header("Authorization", "Bearer wrong")
        .contentType(ContentType.JSON)
        .body(body)
        .post("/api/products")
        .then()
        .statusCode(401);
    given()
        .header("Authorization", "Bearer wrong")
        .delete("/api/products/1")
        .then()
        .statusCode(401);
    given()
        .contentType(ContentType.JSON)
        .body(body)
        .put("/api/products/1")
        .then()
        .statusCode(401)
        .contentType("application/problem+json");
  }

  @Test
  void readsAndWritesShareTheirPathsAsOneResource() {
    // Two resource classes on /api/products: a method neither has is 405, a malformed id 404.
    long id = Products.create("kitchen", 1);
    given().get("/api/products/" + id).then().statusCode(200);
    given()
        .header("Authorization", ADMIN_BEARER)
        .contentType(ContentType.JSON)
        .body(Products.body("kitchen", 1))
        .post("/api/products/" + id)
        .then()
        .statusCode(405);
    given()
        .header("Authorization", ADMIN_BEARER)
        .contentType(ContentType.JSON)
        .body(Products.body("kitchen", 1))
        .put("/api/products/abc")
        .then()
        .statusCode(404);
  }

  @Test
  void theApiDocumentAsksTheAdminTokenOfTheWritesOnly() {
    // Reads and writes are two resource classes on the same paths: the document must still say
    // which operations are the operator's.
    var doc =
        Management.given().accept("application/json").get("/q/openapi").then().statusCode(200);
    for (String write :
        List.of(
            "'/api/products'.post",
            "'/api/products/{id}'.put",
            "'/api/products/{id}'.delete",
            "'/api/products/{id}/stock'.post")) {
      doc.body("paths." + write + ".security[0]", hasKey("admin"));
    }
    for (String read :
        List.of("'/api/products'.get", "'/api/products/{id}'.get", "'/api/products/batch'.get")) {
      doc.body("paths." + read, hasKey("responses"))
          .body("paths." + read + ".security", nullValue());
    }
    doc.body("components.securitySchemes.admin.scheme", equalTo("bearer"));
  }

  @Test
  void theServiceTokenIsNoOperatorToken() {
    given()
        .header("Authorization", Tokens.SERVICE_BEARER)
        .contentType(ContentType.JSON)
        .body(Products.body("kitchen", 1))
        .post("/api/products")
        .then()
        .statusCode(401)
        .contentType("application/problem+json");
  }

  @Test
  void duplicateSkuIsAConflict() {
    var body = Products.body("kitchen", 1);
    given()
        .header("Authorization", ADMIN_BEARER)
        .contentType(ContentType.JSON)
        .body(body)
        .post("/api/products")
        .then()
        .statusCode(201);
    given()
        .header("Authorization", ADMIN_BEARER)
        .contentType(ContentType.JSON)
        .body(body)
        .post("/api/products")
        .then()
        .statusCode(409)
        .contentType("application/problem+json");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "price_cents=-1",
        "stock=-5",
        "name=",
        "currency=euro",
        "category=Not A Category",
        "sku=has spaces",
        "unknown_field=1",
        "price_cents=\"abc\"",
        "stock=1000000001",
        "name=LONG"
      })
  void badProductInputIsA400Problem(String change) {
    Map<String, Object> body = new HashMap<>(Products.body("kitchen", 1));
    String[] kv = change.split("=", 2);
    Object value =
        switch (kv[1]) {
          case "LONG" -> "x".repeat(201);
          case "null" -> null;
          case "\"abc\"" -> "abc";
          default -> kv[1].matches("-?\\d+") ? Long.parseLong(kv[1]) : kv[1];
        };
    body.put(kv[0], value);
    given()
        .header("Authorization", ADMIN_BEARER)
        .contentType(ContentType.JSON)
        .body(body)
        .post("/api/products")
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("status", equalTo(400))
        .body("detail", not(containsString("dev.souq")))
        .body("detail", not(containsString("Exception")));
  }

  @Test
  void malformedJsonAndWrongContentTypeAreClientErrors() {
    given()
        .header("Authorization", ADMIN_BEARER)
        .contentType(ContentType.JSON)
        .body("{\"sku\": ")
        .post("/api/products")
        .then()
        .statusCode(400)
        .contentType("application/problem+json");
    given()
        .header("Authorization", ADMIN_BEARER)
        .contentType(ContentType.TEXT)
        .body("sku=1")
        .post("/api/products")
        .then()
        .statusCode(415)
        .contentType("application/problem+json");
    given()
        .header("Authorization", ADMIN_BEARER)
        .contentType(ContentType.JSON)
        .body("[]")
        .post("/api/products")
        .then()
        .statusCode(400);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/api/products?size=100000",
        "/api/products?size=0",
        "/api/products?page=-1",
        "/api/products?page=abc",
        "/api/products?category=%3Cscript%3E",
        "/api/products/abc",
        "/api/products/0",
        "/api/products/-3",
        "/api/products/99999999999999999999"
      })
  void badQueriesAreClientErrorsNeverServerErrors(String path) {
    given()
        .urlEncodingEnabled(false)
        .get(path)
        .then()
        .statusCode(oneOf(400, 404))
        .contentType("application/problem+json");
  }

  @Test
  void unknownIdIs404Problem() {
    given()
        .get("/api/products/987654321")
        .then()
        .statusCode(404)
        .contentType("application/problem+json")
        .header("X-Cache", oneOf("MISS", "HIT", "BYPASS"))
        .body("status", equalTo(404))
        .body("title", equalTo("Not Found"))
        .body("detail", containsString("987654321"));
  }
}
