package dev.souq.order.rest;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.souq.order.OrderUpdates;
import dev.souq.order.QueuedJobs;
import dev.souq.order.RealDatabase;
import dev.souq.order.Shopper;
import dev.souq.testing.CatalogTestResource;
import dev.souq.testing.SouqTestResource;
import dev.souq.testing.Tokens;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A cancel of a paid order (the operator's: a shopper cancels only PENDING ones) owes the shopper
 * their money: the cancel's transaction writes one refund_payment job, naming what paid the order.
 */
@QuarkusTest
@WithTestResource(value = SouqTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = CatalogTestResource.class, scope = TestResourceScope.GLOBAL)
class RefundTest {

  @Test
  void aPaidOrderCancelledOwesOneRefundOfTheChargeThatPaidIt() throws Exception {
    Instant started = Instant.now();
    long order = Shopper.start().placeOrder(7, 2);
    JsonPath owed = owed(order);
    pay(order, owed, "job-refund#0");

    Shopper.changeStatus(order, "CANCELLED").then().statusCode(200);

    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> QueuedJobs.of(QueuedJobs.REFUND, order, started).size() == 1);
    JsonNode refund = QueuedJobs.of(QueuedJobs.REFUND, order, started).get(0);
    JsonNode payload = refund.path("payload");
    assertEquals(owed.getLong("total_cents"), payload.path("total_cents").asLong());
    assertEquals(owed.getString("currency"), payload.path("currency").asText());
    assertEquals("job-refund#0", payload.path("payment").asText());
    assertTrue(refund.path("idempotency_key").asText().endsWith("-refund_payment"));
  }

  @Test
  void aPaidOrderFromBeforeStockWasReservedIsCancelledAndRefundedToo() throws Exception {
    // Orders placed before V3 have no placement (and hold no stock), and before V10 no paid_by.
    Instant started = Instant.now();
    long order;
    try (Connection sql = RealDatabase.connect();
        Statement insert = sql.createStatement();
        ResultSet id =
            insert.executeQuery(
                "INSERT INTO orders.customer_order (user_id, status, total_cents, currency)"
                    + " VALUES ('u_before_v3', 'PAID', 1250, 'EUR') RETURNING id")) {
      id.next();
      order = id.getLong(1);
    }

    Shopper.changeStatus(order, "CANCELLED").then().statusCode(200);

    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> QueuedJobs.of(QueuedJobs.REFUND, order, started).size() == 1);
    JsonNode refund = QueuedJobs.of(QueuedJobs.REFUND, order, started).get(0);
    assertEquals(1250, refund.path("payload").path("total_cents").asLong());
    assertEquals(
        "order-" + order + "-unplaced-refund_payment", refund.path("idempotency_key").asText());
  }

  @Test
  void anUnpaidOrderCancelledOwesNoRefund() throws Exception {
    Instant started = Instant.now();
    long order = Shopper.start().placeOrder(7, 1);
    Shopper.changeStatus(order, "CANCELLED").then().statusCode(200);
    OrderUpdates.awaitOutboxDrained();
    // Its release_stock job went out through the same outbox, in the same transaction.
    assertEquals(1, QueuedJobs.of(QueuedJobs.RELEASE, order, started).size());
    assertEquals(List.of(), QueuedJobs.of(QueuedJobs.REFUND, order, started));
  }

  private static JsonPath owed(long order) {
    return given()
        .header("Authorization", Tokens.SERVICE_BEARER)
        .get("/api/orders/" + order)
        .then()
        .extract()
        .jsonPath();
  }

  private static void pay(long order, JsonPath owed, String payment) {
    given()
        .header("Authorization", Tokens.SERVICE_BEARER)
        .contentType(ContentType.JSON)
        .body(
            Map.of(
                "status",
                "PAID",
                "amount_cents",
                owed.getLong("total_cents"),
                "currency",
                owed.getString("currency"),
                "payment",
                payment))
        .post("/api/orders/" + order + "/status")
        .then()
        .statusCode(200);
  }
}
