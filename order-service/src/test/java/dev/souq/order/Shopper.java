package dev.souq.order;

import static io.restassured.RestAssured.given;

import dev.souq.testing.Tokens;
import io.restassured.RestAssured;
import io.restassured.config.EncoderConfig;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.util.List;
import java.util.Map;

/** A test's guest: a session cookie and helpers to shop with it. */
public record Shopper(String session, String userId) {

  /** Starts a guest session. */
  public static Shopper start() {
    Response created = startSession().then().statusCode(201).extract().response();
    return new Shopper(created.cookie("SOUQ_SESSION"), created.jsonPath().getString("user_id"));
  }

  /** {@code POST /api/sessions} as the page sends it (JSON), whatever it answers. */
  public static Response startSession() {
    return given().contentType(ContentType.JSON).body("{}").post("/api/sessions");
  }

  /**
   * A POST from this session with a body of {@code {}} sent as {@code contentType}, as given: a
   * wildcard and a charset too, which RestAssured would otherwise refuse to encode or change.
   */
  public Response postAs(String path, String contentType) {
    EncoderConfig encoder =
        EncoderConfig.encoderConfig()
            .appendDefaultContentCharsetToContentTypeIfUndefined(false)
            .encodeContentTypeAs(contentType, ContentType.TEXT);
    return given()
        .config(RestAssured.config().encoderConfig(encoder))
        .cookie("SOUQ_SESSION", session)
        .contentType(contentType)
        .body("{}")
        .post(path);
  }

  /** {@code POST /api/accounts} (or {@code /api/accounts/sign-in}) from this session. */
  public Response enter(String path, String email, String password) {
    return given()
        .cookie("SOUQ_SESSION", session)
        .contentType(ContentType.JSON)
        .body(Map.of("email", email, "password", password))
        .post(path);
  }

  /** Signs up from this session; the shopper the account's new session is. */
  public Shopper signUp(String email, String password) {
    return of(enter("/api/accounts", email, password).then().statusCode(201).extract().response());
  }

  /** Signs in from this session; the shopper the account's new session is. */
  public Shopper signIn(String email, String password) {
    return of(
        enter("/api/accounts/sign-in", email, password)
            .then()
            .statusCode(200)
            .extract()
            .response());
  }

  private static Shopper of(Response entered) {
    return new Shopper(entered.cookie("SOUQ_SESSION"), entered.jsonPath().getString("user_id"));
  }

  /** Puts these lines in the cart. */
  public void fillCart(long productId, int quantity) {
    given()
        .cookie("SOUQ_SESSION", session)
        .contentType(ContentType.JSON)
        .body(Map.of("items", List.of(Map.of("product_id", productId, "quantity", quantity))))
        .put("/api/cart")
        .then()
        .statusCode(200);
  }

  /** Places an order of these product ids, one of each; returns the response. */
  public Response order(Map<Long, Integer> items) {
    List<Map<String, Object>> lines =
        items.entrySet().stream()
            .map(e -> Map.<String, Object>of("product_id", e.getKey(), "quantity", e.getValue()))
            .toList();
    return given()
        .cookie("SOUQ_SESSION", session)
        .contentType(ContentType.JSON)
        .body(Map.of("items", lines))
        .post("/api/orders");
  }

  /** Places an order and returns its id. */
  public long placeOrder(long productId, int quantity) {
    return order(Map.of(productId, quantity))
        .then()
        .statusCode(201)
        .extract()
        .jsonPath()
        .getLong("id");
  }

  /** My orders, as {@code GET /api/orders} lists them. */
  public List<Object> mine() {
    return mine("").jsonPath().getList("");
  }

  /** A page of my orders: {@code GET /api/orders} with {@code query} ("" or "?…"), answered 200. */
  public Response mine(String query) {
    return given()
        .cookie("SOUQ_SESSION", session)
        .get("/api/orders" + query)
        .then()
        .statusCode(200)
        .extract()
        .response();
  }

  /** Operator: the order as any can read it now, as JSON text. */
  public static String readAsOperator(long orderId) {
    return given()
        .header("Authorization", Tokens.ADMIN_BEARER)
        .get("/api/orders/" + orderId)
        .then()
        .statusCode(200)
        .extract()
        .asString();
  }

  /** Operator: moves an order. */
  public static Response changeStatus(long orderId, String status) {
    return given()
        .header("Authorization", Tokens.ADMIN_BEARER)
        .contentType(ContentType.JSON)
        .body(Map.of("status", status))
        .post("/api/orders/" + orderId + "/status");
  }
}
