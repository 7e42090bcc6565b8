package dev.souq.order.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.souq.order.OrderUpdates;
import dev.souq.order.Shopper;
import dev.souq.testing.CatalogTestResource;
import dev.souq.testing.SouqTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A shopper takes back their own order while nothing has happened to it yet, and only then. */
@QuarkusTest
@WithTestResource(value = SouqTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = CatalogTestResource.class, scope = TestResourceScope.GLOBAL)
class ShopperCancelTest {
  @Test
  void theOwnerCancelsAPendingOrderAndItsBrowsersHearOfIt() {
    Shopper shopper = Shopper.start();
    long order = shopper.placeOrder(1, 1);

    cancel(shopper, order)
        .then()
        .statusCode(200)
        .body("status", equalTo("CANCELLED"))
        .body("history.status", contains("PENDING", "CANCELLED"))
        .body("history[1].reason", equalTo("shopper"));
    // As every status change: through the outbox, once, onto the stream the browsers read.
    assertPublished(order, "PENDING", "CANCELLED");
    List<JsonNode> events = OrderUpdates.streamed(order);
    assertEquals("shopper", events.get(1).path("reason").asText());
    assertTrue(events.get(0).path("reason").isMissingNode(), "a placement has no reason");
  }

  @Test
  void anotherShoppersOrderIsNotFoundAndStaysPending() {
    Shopper owner = Shopper.start();
    long order = owner.placeOrder(1, 1);

    cancel(Shopper.start(), order).then().statusCode(404).contentType("application/problem+json");
    statusOf(owner, order, "PENDING");
  }

  @Test
  void aPaidOrderIsNoLongerTheShoppersToCancel() {
    Shopper shopper = Shopper.start();
    long order = shopper.placeOrder(1, 1);
    Shopper.changeStatus(order, "PAID").then().statusCode(200);

    cancel(shopper, order)
        .then()
        .statusCode(409)
        .contentType("application/problem+json")
        .body("detail", containsString("PAID"));
    statusOf(shopper, order, "PAID");
    assertPublished(order, "PENDING", "PAID");
  }

  @Test
  void aCancelledOrderCannotBeCancelledAgain() {
    Shopper shopper = Shopper.start();
    long order = shopper.placeOrder(1, 1);
    cancel(shopper, order).then().statusCode(200);

    cancel(shopper, order).then().statusCode(409).contentType("application/problem+json");
    given()
        .cookie("SOUQ_SESSION", shopper.session())
        .get("/api/orders/" + order)
        .then()
        .body("history.status", contains("PENDING", "CANCELLED"));
    assertPublished(order, "PENDING", "CANCELLED");
  }

  @Test
  void withoutASessionNothingIsCancelled() {
    long order = Shopper.start().placeOrder(1, 1);
    given()
        .contentType(ContentType.JSON)
        .body("{}")
        .post("/api/orders/" + order + "/cancel")
        .then()
        .statusCode(401);
  }

  @Test
  void aFormPostedFromAnotherSiteCannotCancel() {
    Shopper shopper = Shopper.start();
    long order = shopper.placeOrder(1, 1);

    // What a cross-site <form method=post> sends, with the shopper's cookie, and what JSON
    // endpoints refuse too: a wildcard, a charset not UTF-8.
    for (String type :
        new String[] {
          "application/x-www-form-urlencoded",
          "*/*",
          "application/*",
          "application/json; charset=latin1"
        }) {
      shopper
          .postAs("/api/orders/" + order + "/cancel", type)
          .then()
          .statusCode(415)
          .contentType("application/problem+json");
    }
    statusOf(shopper, order, "PENDING");
    assertPublished(order, "PENDING");
  }

  private static Response cancel(Shopper shopper, long order) {
    return given()
        .cookie("SOUQ_SESSION", shopper.session())
        .contentType(ContentType.JSON)
        .body("{}")
        .post("/api/orders/" + order + "/cancel");
  }

  private static void statusOf(Shopper shopper, long order, String status) {
    given()
        .cookie("SOUQ_SESSION", shopper.session())
        .get("/api/orders/" + order)
        .then()
        .statusCode(200)
        .body("status", equalTo(status));
  }

  /** Once the outbox is empty, nothing more will come: the order's events are exactly these. */
  private static void assertPublished(long order, String... statuses) {
    OrderUpdates.awaitOutboxDrained();
    assertEquals(List.of(statuses), OrderUpdates.statuses(OrderUpdates.streamed(order)));
  }
}
