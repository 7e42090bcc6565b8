package dev.souq.order.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import dev.souq.order.Shopper;
import dev.souq.testing.CatalogTestResource;
import dev.souq.testing.SouqTestResource;
import dev.souq.testing.Tokens;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A payer unsure whether its move to PAID was made voids its charge instead of reading the order:
 * the order keeps the charge it is PAID by, and a voided charge's move, however late it comes, is
 * refused. Both take the order's row lock, so whichever comes first decides.
 */
@QuarkusTest
@WithTestResource(value = SouqTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = CatalogTestResource.class, scope = TestResourceScope.GLOBAL)
class PaymentFenceTest {

  @Test
  void aVoidedChargeCannotPayTheOrderLaterAndANewOneCan() {
    long order = Shopper.start().placeOrder(7, 1);
    voidIt(order, "job-a#0").then().statusCode(200).body("kept", equalTo(false));

    // The move of the voided charge arrives after the void: refused, the order stays PENDING.
    pay(order, "job-a#0").then().statusCode(409).contentType("application/problem+json");
    status(order).then().body("status", equalTo("PENDING"));

    pay(order, "job-a#1").then().statusCode(200).body("status", equalTo("PAID"));
    voidIt(order, "job-a#1").then().statusCode(200).body("kept", equalTo(true));
    // Asking again answers the same: the payer may lose this answer too.
    voidIt(order, "job-a#1").then().statusCode(200).body("kept", equalTo(true));
    voidIt(order, "job-a#0").then().statusCode(200).body("kept", equalTo(false));
    status(order).then().body("status", equalTo("PAID"));
  }

  @Test
  void aChargeWhoseMoveCameFirstIsKept() {
    long order = Shopper.start().placeOrder(7, 1);
    pay(order, "job-b#0").then().statusCode(200);
    voidIt(order, "job-b#0").then().statusCode(200).body("kept", equalTo(true));
    voidIt(order, "job-c#0").then().statusCode(200).body("kept", equalTo(false));
  }

  /**
   * Paid, then cancelled before the payer asks: the charge stays kept, since the cancel's own
   * refund_payment job gives it back (refunded by the payer as well, it would be refunded twice).
   */
  @Test
  void aChargeThatPaidAnOrderCancelledSinceIsStillKept() {
    long order = Shopper.start().placeOrder(7, 1);
    pay(order, "job-e#0").then().statusCode(200);
    Shopper.changeStatus(order, "CANCELLED").then().statusCode(200);
    voidIt(order, "job-e#0").then().statusCode(200).body("kept", equalTo(true));
  }

  @Test
  void aMoveThatNamesNoChargeWorksAsBeforeAndTheVoidIsForTheServiceOnly() {
    long order = Shopper.start().placeOrder(7, 1);
    voidIt(order, "job-d#0").then().statusCode(200);
    pay(order, null).then().statusCode(200).body("status", equalTo("PAID"));

    given()
        .contentType(ContentType.JSON)
        .body(Map.of("payment", "job-d#1"))
        .post("/api/orders/" + order + "/payments/void")
        .then()
        .statusCode(401);
    voidIt(999_999_999L, "job-d#0").then().statusCode(404);
    voidIt(order, "has space").then().statusCode(400);
    given()
        .header("Authorization", Tokens.SERVICE_BEARER)
        .contentType(ContentType.JSON)
        .body(Map.of("status", "SHIPPED", "payment", "job-d#2"))
        .post("/api/orders/" + order + "/status")
        .then()
        .statusCode(400);
  }

  private static Response pay(long order, String payment) {
    JsonPath owed = status(order).then().extract().jsonPath();
    Map<String, Object> move = new HashMap<>();
    move.put("status", "PAID");
    move.put("amount_cents", owed.getLong("total_cents"));
    move.put("currency", owed.getString("currency"));
    if (payment != null) {
      move.put("payment", payment);
    }
    return given()
        .header("Authorization", Tokens.SERVICE_BEARER)
        .contentType(ContentType.JSON)
        .body(move)
        .post("/api/orders/" + order + "/status");
  }

  private static Response voidIt(long order, String payment) {
    return given()
        .header("Authorization", Tokens.SERVICE_BEARER)
        .contentType(ContentType.JSON)
        .body(Map.of("payment", payment))
        .post("/api/orders/" + order + "/payments/void");
  }

  private static Response status(long order) {
    return given().header("Authorization", Tokens.SERVICE_BEARER).get("/api/orders/" + order);
  }
}
