package dev.souq.order.rest;

import static dev.souq.order.OrderUpdates.statuses;
import static dev.souq.order.OrderUpdates.streamed;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.souq.order.OrderStatus;
import dev.souq.order.OrderUpdates;
import dev.souq.order.Shopper;
import dev.souq.testing.CatalogTestResource;
import dev.souq.testing.SouqTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every way into CANCELLED, per docs/contract.md: {@code PENDING|PAID → CANCELLED} and nothing
 * else. An allowed cancellation is answered and published once; any other is 409 problem+json and
 * changes neither the order nor what was published.
 */
@QuarkusTest
@WithTestResource(value = SouqTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = CatalogTestResource.class, scope = TestResourceScope.GLOBAL)
class CancellationTest {
  /** How a new order reaches each status, one allowed step at a time. */
  private static final Map<OrderStatus, List<String>> WAY =
      Map.of(
          OrderStatus.PENDING, List.of(),
          OrderStatus.PAID, List.of("PAID"),
          OrderStatus.SHIPPED, List.of("PAID", "SHIPPED"),
          OrderStatus.DELIVERED, List.of("PAID", "SHIPPED", "DELIVERED"),
          OrderStatus.CANCELLED, List.of("CANCELLED"));

  private final ObjectMapper json = new ObjectMapper();

  @ParameterizedTest
  @EnumSource(
      value = OrderStatus.class,
      names = {"PENDING", "PAID"})
  void aPendingOrPaidOrderIsCancelledAndTheChangePublishedOnce(OrderStatus from) {
    long order = orderIn(from);
    List<String> before = timeline(from);
    List<String> after = new ArrayList<>(before);
    after.add("CANCELLED");

    Shopper.changeStatus(order, "CANCELLED")
        .then()
        .statusCode(200)
        .body("status", equalTo("CANCELLED"))
        .body("history.status", equalTo(after))
        .body("history[-1].previous_status", equalTo(from.name()));

    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> statuses(streamed(order)).contains("CANCELLED"));
    OrderUpdates.awaitOutboxDrained();
    List<JsonNode> published = streamed(order);
    assertEquals(after, statuses(published));
    assertEquals(from.name(), published.get(published.size() - 1).get("previous_status").asText());
  }

  @ParameterizedTest
  @EnumSource(
      value = OrderStatus.class,
      names = {"PENDING", "PAID"},
      mode = EnumSource.Mode.EXCLUDE)
  void cancellingFromAnyOtherStatusIs409AndChangesNothing(OrderStatus from) throws Exception {
    long order = orderIn(from);
    JsonNode before = read(order);

    Shopper.changeStatus(order, "CANCELLED")
        .then()
        .statusCode(409)
        .contentType("application/problem+json")
        .body("status", equalTo(409))
        .body("detail", equalTo("An order cannot go from " + from + " to CANCELLED"));

    assertEquals(before, read(order));
    OrderUpdates.awaitOutboxDrained();
    assertEquals(timeline(from), statuses(streamed(order)));
  }

  /** A new order moved to {@code status} the contract's way; its id. */
  private static long orderIn(OrderStatus status) {
    long order = Shopper.start().placeOrder(2, 1);
    for (String step : WAY.get(status)) {
      Shopper.changeStatus(order, step).then().statusCode(200).body("status", equalTo(step));
    }
    return order;
  }

  /** The statuses an order in {@code status} went through, as {@link #orderIn} moved it. */
  private static List<String> timeline(OrderStatus status) {
    List<String> all = new ArrayList<>(List.of("PENDING"));
    all.addAll(WAY.get(status));
    return all;
  }

  /** The order as the operator reads it now. */
  private JsonNode read(long order) throws Exception {
    return json.readTree(Shopper.readAsOperator(order));
  }
}
