package dev.souq.order.rest;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.souq.order.OrderUpdates;
import dev.souq.order.QueuedJobs;
import dev.souq.order.Shopper;
import dev.souq.shared.messages.OrderUpdate;
import dev.souq.testing.CatalogTestResource;
import dev.souq.testing.Management;
import dev.souq.testing.SchemaCheck;
import dev.souq.testing.SouqTestResource;
import dev.souq.testing.Tokens;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The endpoint behind worker-service's cancel_unpaid_orders job: orders PENDING for longer than
 * {@code souq.unpaid-order-timeout} (3 s in tests) are cancelled through the status machine, each
 * with the release of its stock; younger and paid ones are left alone. Calls are repeated until the
 * orders of this test are old enough: other tests' orders may be cancelled too, which is what the
 * job is for.
 */
@QuarkusTest
@WithTestResource(value = SouqTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = CatalogTestResource.class, scope = TestResourceScope.GLOBAL)
class UnpaidOrdersTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(3);
  private static final Pattern OVERDUE =
      Pattern.compile("(?m)^souq_orders_unpaid_overdue(?:\\{[^}]*\\})? ([0-9.E]+)$");

  @Test
  void anOrderLeftUnpaidIsCancelledAndItsStockReleasedButAPaidOneIsNot() throws Exception {
    Instant started = Instant.now();
    Shopper shopper = Shopper.start();
    long unpaid = shopper.placeOrder(1, 2);
    long paid = shopper.placeOrder(2, 1);
    Shopper.changeStatus(paid, "PAID").then().statusCode(200);

    // Too young yet.
    cancelUnpaid(1000).then().statusCode(200);
    assertEquals("PENDING", status(unpaid));

    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              cancelUnpaid(1000).then().statusCode(200);
              return "CANCELLED".equals(status(unpaid));
            });
    assertEquals("PAID", status(paid));
    // The owner learns why: the step and its event say the order was not paid in time.
    String history =
        given()
            .cookie("SOUQ_SESSION", shopper.session())
            .get("/api/orders/" + unpaid)
            .jsonPath()
            .getString("history[1].reason");
    assertEquals("unpaid", history);
    OrderUpdates.awaitOutboxDrained();
    List<JsonNode> events = OrderUpdates.streamed(unpaid);
    assertEquals("CANCELLED", events.get(events.size() - 1).path("status").asText());
    assertEquals("unpaid", events.get(events.size() - 1).path("reason").asText());
    SchemaCheck.assertValid(OrderUpdate.SCHEMA, events.get(events.size() - 1).toString());
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> QueuedJobs.of(QueuedJobs.RELEASE, unpaid, started).size() == 1);
    JsonNode release = QueuedJobs.of(QueuedJobs.RELEASE, unpaid, started).get(0);
    assertEquals(unpaid, release.path("payload").path("order_id").asLong());
    assertTrue(release.path("idempotency_key").asText().endsWith("-release_stock"));
  }

  @Test
  void aCallCancelsAtMostItsLimitAndSaysWhetherMoreAreLeft() {
    Shopper shopper = Shopper.start();
    List<Long> orders = new ArrayList<>();
    Instant placed = Instant.now();
    for (int i = 0; i < 3; i++) {
      orders.add(shopper.placeOrder(3, 1));
    }
    Instant overdue = placed.plus(TIMEOUT).plusSeconds(1);
    await().atMost(Duration.ofSeconds(30)).until(() -> Instant.now().isAfter(overdue));
    // The gauge counts them (recounted every second in tests).
    await().atMost(Duration.ofSeconds(30)).until(UnpaidOrdersTest::overdueGauge, n -> n >= 3);

    cancelUnpaid(1)
        .then()
        .statusCode(200)
        .body("cancelled", equalTo(1))
        .body("more", equalTo(true));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> !cancelUnpaid(1000).jsonPath().getBoolean("more"));
    for (long order : orders) {
      assertEquals("CANCELLED", status(order));
    }
    // Nothing is overdue any more, and the gauge says so.
    await().atMost(Duration.ofSeconds(30)).until(UnpaidOrdersTest::overdueGauge, n -> n == 0);
  }

  @Test
  void onlyServicesAndTheOperatorMayCancelUnpaidOrders() {
    given().post("/api/orders/unpaid/cancel").then().statusCode(401);
    given()
        .header("Authorization", Tokens.ADMIN_BEARER)
        .post("/api/orders/unpaid/cancel?limit=0")
        .then()
        .statusCode(400)
        .contentType("application/problem+json");
  }

  private static Response cancelUnpaid(int limit) {
    return given()
        .header("Authorization", Tokens.SERVICE_BEARER)
        .post("/api/orders/unpaid/cancel?limit=" + limit);
  }

  private static String status(long order) {
    return given()
        .header("Authorization", Tokens.ADMIN_BEARER)
        .get("/api/orders/" + order)
        .jsonPath()
        .getString("status");
  }

  private static double overdueGauge() {
    Matcher value = OVERDUE.matcher(Management.given().get("/q/metrics").asString());
    return value.find() ? Double.parseDouble(value.group(1)) : -1;
  }
}
