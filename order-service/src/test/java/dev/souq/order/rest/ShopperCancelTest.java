package dev.souq.order.rest;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.souq.order.Shopper;
import dev.souq.shared.messages.OrderUpdate;
import dev.souq.testing.CatalogTestResource;
import dev.souq.testing.SouqTestResource;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.stream.StreamRange;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A shopper takes back their own order while nothing has happened to it yet, and only then. */
@QuarkusTest
@WithTestResource(value = SouqTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = CatalogTestResource.class, scope = TestResourceScope.GLOBAL)
class ShopperCancelTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Inject RedisDataSource redis;

  @Test
  void theOwnerCancelsAPendingOrderAndItsBrowsersHearOfIt() {
    Shopper shopper = Shopper.start();
    long order = shopper.placeOrder(1, 1);

    cancel(shopper, order)
        .then()
        .statusCode(200)
        .body("status", equalTo("CANCELLED"))
        .body("history.status", contains("PENDING", "CANCELLED"));
    // As every status change: through the outbox, onto the owner's stream the browsers read.
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> statusesOnStream(shopper, order).equals(List.of("PENDING", "CANCELLED")));
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
  }

  @Test
  void withoutASessionNothingIsCancelled() {
    long order = Shopper.start().placeOrder(1, 1);
    given().post("/api/orders/" + order + "/cancel").then().statusCode(401);
  }

  private static Response cancel(Shopper shopper, long order) {
    return given()
        .cookie("SOUQ_SESSION", shopper.session())
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

  /** The statuses of {@code order} on its owner's stream, the one a resuming browser reads. */
  private List<String> statusesOnStream(Shopper shopper, long order) throws Exception {
    List<String> statuses = new ArrayList<>();
    for (var message :
        redis.stream(String.class)
            .xrange(OrderUpdate.userStream(shopper.userId()), StreamRange.of("-", "+"))) {
      JsonNode update = JSON.readTree(message.payload().get("data"));
      if (update.get("order_id").asLong() == order) {
        statuses.add(update.get("status").asText());
      }
    }
    return statuses;
  }
}
