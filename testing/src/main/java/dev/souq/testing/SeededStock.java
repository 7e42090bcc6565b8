package dev.souq.testing;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import java.util.HashMap;
import java.util.Map;

/**
 * Gives the catalog's seeded products (ids 1 to 36) stock that no test run uses up, through the
 * operator API: the tests of ordering, paying and relaying place thousands of orders of them and
 * are not about stock. Tests about stock make products of their own with the stock they need.
 */
public final class SeededStock {
  private static final int SEEDED = 36;
  private static final int PLENTY = 1_000_000_000;

  private SeededStock() {}

  /** Raises each seeded product that still exists at {@code catalogUrl} to plenty of stock. */
  public static void makePlenty(String catalogUrl) {
    for (int id = 1; id <= SEEDED; id++) {
      var read = given().baseUri(catalogUrl).get("/api/products/" + id);
      if (read.statusCode() != 200) {
        continue;
      }
      Map<String, Object> product = new HashMap<>(read.jsonPath().getMap(""));
      product.remove("id");
      product.put("stock", PLENTY);
      given()
          .baseUri(catalogUrl)
          .header("Authorization", Tokens.ADMIN_BEARER)
          .contentType(ContentType.JSON)
          .body(product)
          .put("/api/products/" + id)
          .then()
          .statusCode(200);
    }
  }
}
