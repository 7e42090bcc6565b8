package dev.souq.catalog;

import static dev.souq.testing.Tokens.SERVICE_BEARER;
import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Test helpers: stock reserved and released as order-service and worker-service call for it. */
public final class Reservations {
  private Reservations() {}

  /** PUT /api/stock/reservations/{placement} with the service token. */
  public static Response reserve(UUID placement, long order, Map<Long, Integer> lines) {
    List<Map<String, Object>> body = new ArrayList<>();
    lines.forEach(
        (product, quantity) -> body.add(Map.of("product_id", product, "quantity", quantity)));
    return given()
        .header("Authorization", SERVICE_BEARER)
        .contentType(ContentType.JSON)
        .body(Map.of("order_id", order, "lines", body))
        .put("/api/stock/reservations/" + placement);
  }

  /** DELETE /api/stock/reservations/{placement} with the service token. */
  public static Response release(UUID placement) {
    return given()
        .header("Authorization", SERVICE_BEARER)
        .delete("/api/stock/reservations/" + placement);
  }

  /** The product's stock as clients read it. */
  public static int stock(long id) {
    return given().get("/api/products/" + id).then().statusCode(200).extract().path("stock");
  }
}
