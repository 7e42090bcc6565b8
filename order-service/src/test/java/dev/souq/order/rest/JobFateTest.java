package dev.souq.order.rest;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.souq.order.OrderUpdates;
import dev.souq.order.Shopper;
import dev.souq.shared.messages.OrderUpdate;
import dev.souq.testing.CatalogTestResource;
import dev.souq.testing.SchemaCheck;
import dev.souq.testing.SouqTestResource;
import dev.souq.testing.Tokens;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * worker-service reports what became of an order's job: it lands on the order's timeline and
 * reaches the owner as an order_updates event with a job field, in order with the status changes.
 */
@QuarkusTest
@WithTestResource(value = SouqTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = CatalogTestResource.class, scope = TestResourceScope.GLOBAL)
class JobFateTest {
  private static final String RETRY_AT = "2026-12-02T14:05:00Z";

  private static io.restassured.response.Response report(
      long order, Map<String, Object> fate, String authorization) {
    var request = given().contentType(ContentType.JSON).body(fate);
    if (authorization != null) {
      request = request.header("Authorization", authorization);
    }
    return request.post("/api/orders/" + order + "/jobs");
  }

  private static Map<String, Object> retrying(int attempt) {
    return Map.of(
        "type",
        "process_payment",
        "outcome",
        "retrying",
        "attempt",
        attempt,
        "next_attempt_at",
        RETRY_AT,
        "error",
        "card declined");
  }

  @Test
  void aRetryAndAFailureReachTheTimelineAndTheStreamInOrderWithTheStatusUnchanged() {
    long order = Shopper.start().placeOrder(7, 1);
    report(order, retrying(1), Tokens.SERVICE_BEARER).then().statusCode(204);
    report(
            order,
            Map.of("type", "process_payment", "outcome", "failed", "attempt", 2, "error", "gone"),
            Tokens.SERVICE_BEARER)
        .then()
        .statusCode(204);

    OrderUpdates.awaitOutboxDrained();
    List<JsonNode> streamed = OrderUpdates.streamed(order);
    assertEquals(List.of("PENDING", "PENDING", "PENDING"), OrderUpdates.statuses(streamed));
    for (JsonNode event : streamed) {
      SchemaCheck.assertValid(OrderUpdate.SCHEMA, event.toString());
    }
    assertNull(streamed.get(0).get("job"), "a status change has no job");
    JsonNode retry = streamed.get(1).get("job");
    assertEquals("retrying", retry.get("outcome").asText());
    assertEquals(1, retry.get("attempt").asInt());
    assertEquals(RETRY_AT, retry.get("next_attempt_at").asText());
    assertEquals("card declined", retry.get("error").asText());
    assertEquals("failed", streamed.get(2).get("job").get("outcome").asText());

    JsonPath read = new JsonPath(Shopper.readAsOperator(order));
    assertEquals(List.of("PENDING", "PENDING", "PENDING"), read.getList("history.status"));
    assertEquals(
        streamed.stream().map(e -> e.get("event_id").asText()).toList(),
        read.getList("history.event_id"));
    assertNull(read.get("history[0].job"));
    assertEquals("retrying", read.getString("history[1].job.outcome"));
    assertEquals(RETRY_AT, read.getString("history[1].job.next_attempt_at"));
    assertEquals("failed", read.getString("history[2].job.outcome"));
    assertEquals("PENDING", read.getString("status"));
  }

  @Test
  void onlyTheServiceOrOperatorReportsAndOnlyWhatTheFateAllows() {
    long order = Shopper.start().placeOrder(7, 1);
    report(order, retrying(1), null).then().statusCode(401);
    report(999_999_999L, retrying(1), Tokens.SERVICE_BEARER).then().statusCode(404);
    for (Map<String, Object> bad :
        List.<Map<String, Object>>of(
            Map.of("type", "process_payment", "outcome", "retrying", "attempt", 1),
            Map.of(
                "type",
                "process_payment",
                "outcome",
                "failed",
                "attempt",
                1,
                "next_attempt_at",
                RETRY_AT),
            Map.of("type", "process_payment", "outcome", "exploded", "attempt", 1),
            Map.of("type", "Process Payment", "outcome", "failed", "attempt", 1),
            Map.of("type", "process_payment", "outcome", "failed", "attempt", 0))) {
      report(order, bad, Tokens.SERVICE_BEARER)
          .then()
          .statusCode(400)
          .contentType("application/problem+json");
    }
    assertEquals(1, new JsonPath(Shopper.readAsOperator(order)).getList("history").size());
  }
}
