package dev.souq.testing;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import java.util.Map;
import java.util.UUID;

/** Products a test makes and reads through a catalog's API (the operator token for writes). */
public final class CatalogProducts {
  private CatalogProducts() {}

  /** A new product in EUR with a SKU no other test uses; its id. */
  public static long create(String catalogUrl, long priceCents, int stock) {
    return create(catalogUrl, priceCents, stock, "EUR");
  }

  /** The same, priced in {@code currency}. */
  public static long create(String catalogUrl, long priceCents, int stock, String currency) {
    return create(catalogUrl, priceCents, stock, currency, "test");
  }

  /** A new product in {@code category} (1.00 EUR, one in stock); its id. */
  public static long createIn(String catalogUrl, String category) {
    return create(catalogUrl, 100, 1, "EUR", category);
  }

  private static long create(
      String catalogUrl, long priceCents, int stock, String currency, String category) {
    return given()
        .baseUri(catalogUrl)
        .header("Authorization", Tokens.ADMIN_BEARER)
        .contentType(ContentType.JSON)
        .body(
            Map.of(
                "sku",
                "T-" + UUID.randomUUID().toString().substring(0, 12),
                "name",
                "Test product",
                "price_cents",
                priceCents,
                "currency",
                currency,
                "category",
                category,
                "stock",
                stock))
        .post("/api/products")
        .then()
        .statusCode(201)
        .extract()
        .jsonPath()
        .getLong("id");
  }

  /** The product's stock as the catalog answers it now. */
  public static int stock(String catalogUrl, long product) {
    return given()
        .baseUri(catalogUrl)
        .get("/api/products/" + product)
        .then()
        .statusCode(200)
        .extract()
        .path("stock");
  }
}
