package dev.souq.catalog;

import static io.restassured.RestAssured.given;

import dev.souq.testing.Tokens;
import io.restassured.http.ContentType;
import java.util.Map;
import java.util.UUID;

/** Test helpers: products created through the API with the test operator token. */
public final class Products {

  private Products() {}

  /** A valid product body with a SKU no other test uses. */
  public static Map<String, Object> body(String category, long priceCents) {
    return Map.of(
        "sku",
        "T-" + UUID.randomUUID().toString().substring(0, 12),
        "name",
        "Test product",
        "description",
        "made by a test",
        "price_cents",
        priceCents,
        "currency",
        "EUR",
        "category",
        category,
        "stock",
        7);
  }

  /** Creates a product and returns its id. */
  public static long create(String category, long priceCents) {
    return create(body(category, priceCents));
  }

  /** Creates the product {@code body} describes and returns its id. */
  public static long create(Map<String, Object> body) {
    return given()
        .header("Authorization", Tokens.ADMIN_BEARER)
        .contentType(ContentType.JSON)
        .body(body)
        .post("/api/products")
        .then()
        .statusCode(201)
        .extract()
        .jsonPath()
        .getLong("id");
  }

  /** Replaces the product's price (and keeps the rest of a fresh valid body). */
  public static void setPrice(long id, long priceCents) {
    Map<String, Object> body = new java.util.HashMap<>(body("test", priceCents));
    body.put("sku", "T-ID-" + id);
    given()
        .header("Authorization", Tokens.ADMIN_BEARER)
        .contentType(ContentType.JSON)
        .body(body)
        .put("/api/products/" + id)
        .then()
        .statusCode(200);
  }
}
