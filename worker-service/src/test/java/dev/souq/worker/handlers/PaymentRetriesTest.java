package dev.souq.worker.handlers;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.souq.testing.SouqTestResource;
import dev.souq.worker.queue.Jobs;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * A payment the (simulated) provider declines twice: order-service hears of each failed attempt and
 * when it runs again, then of the move to PAID, in that order.
 */
@QuarkusTest
@TestProfile(PaymentRetriesTest.DeclinedTwice.class)
@WithTestResource(value = SouqTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = OrderApiStub.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
class PaymentRetriesTest {
  public static class DeclinedTwice implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("worker.shop.payment-declines", "2", "worker.backoff.initial", "100ms");
    }
  }

  @Inject RedisDataSource redis;

  @ConfigProperty(name = "quarkus.rest-client.order.url")
  String orderApi;

  @Test
  void twoRetriesAreReportedThenTheOrderIsPaid() {
    long order = 5100 + (System.nanoTime() % 100);
    Jobs.push(redis, Jobs.task("process_payment", Map.of("order_id", order), Jobs.name("pay2")));

    String prefix = "/api/orders/" + order + "/";
    List<JsonObject> calls =
        await()
            .atMost(Duration.ofSeconds(20))
            .until(
                () -> callsAbout(prefix),
                list -> list.stream().anyMatch(c -> c.getString("path").endsWith("/status")));
    List<JsonObject> writes =
        calls.stream().filter(c -> "POST".equals(c.getString("method"))).toList();
    assertEquals(
        List.of(prefix + "jobs", prefix + "jobs", prefix + "status"),
        writes.stream().map(c -> c.getString("path")).toList(),
        writes.toString());
    for (int attempt = 1; attempt <= 2; attempt++) {
      JsonObject fate = new JsonObject(writes.get(attempt - 1).getString("body"));
      assertEquals("retrying", fate.getString("outcome"));
      assertEquals(attempt, fate.getInteger("attempt"));
      assertNull(fate.getString("error"), "a failure's text is not the shopper's to read");
      assertNotNull(fate.getString("next_attempt_at"));
    }
    assertEquals("PAID", new JsonObject(writes.get(2).getString("body")).getString("status"));
  }

  private List<JsonObject> callsAbout(String prefix) {
    List<Map<String, Object>> all =
        given().baseUri(orderApi).get("/stub/calls").then().extract().jsonPath().getList("");
    return all.stream()
        .map(JsonObject::new)
        .filter(call -> call.getString("path").startsWith(prefix))
        .toList();
  }
}
