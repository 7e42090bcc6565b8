package dev.souq.order.messaging;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.souq.order.OrderUpdates;
import dev.souq.order.Shopper;
import dev.souq.shared.messages.OrderUpdate;
import dev.souq.shared.messages.Task;
import dev.souq.shared.messages.TaskQueues;
import dev.souq.testing.CatalogTestResource;
import dev.souq.testing.ProxyControl;
import dev.souq.testing.SchemaCheck;
import dev.souq.testing.SouqTestResource;
import dev.souq.testing.TestStack;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every status change reaches order_updates and its stream exactly once, in order. */
@QuarkusTest
@WithTestResource(value = SouqTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = CatalogTestResource.class, scope = TestResourceScope.GLOBAL)
class OrderEventsTest {
  @Inject RedisDataSource redis;
  @Inject Vertx vertx;

  @Test
  void everyChangeIsPublishedAndStreamedOnceInOrderAsSchemaValidJson() throws Exception {
    try (ChannelRecorder channel = ChannelRecorder.subscribe(vertx)) {
      long order = Shopper.start().placeOrder(7, 1);
      Shopper.changeStatus(order, "PAID").then().statusCode(200);
      Shopper.changeStatus(order, "SHIPPED").then().statusCode(200);
      List<String> expected = List.of("PENDING", "PAID", "SHIPPED");

      // Read once nothing is left to send: a duplicate, had there been one, is in by then.
      OrderUpdates.awaitOutboxDrained();
      List<JsonNode> streamed = OrderUpdates.streamed(order);
      assertEquals(expected, OrderUpdates.statuses(streamed));
      assertEquals(3, streamed.stream().map(e -> e.get("event_id").asText()).distinct().count());
      for (JsonNode event : streamed) {
        SchemaCheck.assertValid(OrderUpdate.SCHEMA, event.toString());
      }
      assertEquals("PAID", streamed.get(2).get("previous_status").asText());

      channel.caughtUp();
      List<JsonNode> published = channel.of(order);
      for (JsonNode event : published) {
        SchemaCheck.assertValid(OrderUpdate.SCHEMA, event.toString());
      }
      assertEquals(expected, OrderUpdates.statuses(published));
    }
  }

  @Test
  void eachAnswerNamesTheEventItsChangeIsPublishedWithAndTheTimelineKeepsIt() throws Exception {
    Shopper shopper = Shopper.start();
    JsonPath placed = shopper.order(Map.of(7L, 1)).then().statusCode(201).extract().jsonPath();
    long order = placed.getLong("id");
    String pending = placed.getString("history[0].event_id");
    JsonPath paid = Shopper.changeStatus(order, "PAID").then().statusCode(200).extract().jsonPath();
    String paidEvent = paid.getString("history[1].event_id");
    assertEquals(pending, paid.getString("history[0].event_id"), "the earlier step keeps its id");

    OrderUpdates.awaitOutboxDrained();
    List<JsonNode> streamed = OrderUpdates.streamed(order);
    assertEquals(
        List.of(pending, paidEvent),
        streamed.stream().map(e -> e.get("event_id").asText()).toList());
    // A later read of the order shows the same ids: a client that holds it knows both events.
    JsonPath read = new JsonPath(Shopper.readAsOperator(order));
    assertEquals(List.of(pending, paidEvent), read.getList("history.event_id"));
  }

  @Test
  void placingAnOrderEnqueuesItsJobsInTheTaskEnvelope() throws Exception {
    long order = Shopper.start().placeOrder(8, 1);
    await().atMost(Duration.ofSeconds(10)).until(() -> jobsOf(order).size() == 2);
    List<JsonNode> jobs = jobsOf(order);
    assertEquals(
        List.of("process_payment", "send_order_confirmation"),
        jobs.stream().map(j -> j.get("type").asText()).sorted().toList());
    for (JsonNode job : jobs) {
      SchemaCheck.assertValid(Task.SCHEMA, job.toString());
    }
    // Payments go ahead of everything on the worker, confirmation mails behind (order.task-queues).
    Map<String, String> queues = new java.util.TreeMap<>();
    jobs.forEach(j -> queues.put(j.get("type").asText(), j.path("queue").asText()));
    assertEquals(Map.of("process_payment", "critical", "send_order_confirmation", "bulk"), queues);
    // Keys name the placement, so a recreated database's order of the same id is not a repeat.
    String placement = "order-" + order + "-[0-9a-f-]{36}-";
    for (JsonNode job : jobs) {
      String key = job.get("idempotency_key").asText();
      assertTrue(key.matches(placement + job.get("type").asText()), key);
    }
    assertEquals(
        jobs.get(0).get("idempotency_key").asText().replaceFirst("-[a-z_]+$", ""),
        jobs.get(1).get("idempotency_key").asText().replaceFirst("-[a-z_]+$", ""));
    // The payment carries what the order owes, so the worker need not read it back to charge it.
    JsonPath written = new JsonPath(Shopper.readAsOperator(order));
    JsonNode payment =
        jobs.stream()
            .filter(j -> "process_payment".equals(j.get("type").asText()))
            .findFirst()
            .get();
    assertTrue(written.getLong("total_cents") > 0);
    assertEquals(written.getLong("total_cents"), payment.at("/payload/total_cents").asLong());
    assertEquals(written.getString("currency"), payment.at("/payload/currency").asText());
  }

  /** The relay wakes an idle worker after the jobs it pushed; at most 16 tokens wait for one. */
  @Test
  void jobsPushedWakeAnIdleWorkerWithATokenAndTheTokensAreBounded() {
    redis.key().del(TaskQueues.WAKE);
    Shopper shopper = Shopper.start();
    for (int i = 0; i < TaskQueues.WAKE_KEPT + 4; i++) {
      long order = shopper.placeOrder(8, 1);
      await().atMost(Duration.ofSeconds(10)).until(() -> jobsOf(order).size() == 2);
    }
    // No worker in these tests takes a token: each batch of jobs left one, trimmed to 16.
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> redis.list(String.class).llen(TaskQueues.WAKE) == TaskQueues.WAKE_KEPT);
  }

  @Test
  void eventsHeldBackByARedisOutageArePublishedAfterItInOrderOnce() throws Exception {
    long order = Shopper.start().placeOrder(9, 1);
    await().atMost(Duration.ofSeconds(10)).until(() -> OrderUpdates.streamed(order).size() == 1);
    ProxyControl proxy = TestStack.get().redisProxy();
    proxy.cut();
    try {
      Shopper.changeStatus(order, "PAID").then().statusCode(200);
      Shopper.changeStatus(order, "SHIPPED").then().statusCode(200);
      Shopper.changeStatus(order, "DELIVERED").then().statusCode(200);
    } finally {
      proxy.restore();
    }
    await().atMost(Duration.ofSeconds(20)).until(() -> OrderUpdates.streamed(order).size() >= 4);
    OrderUpdates.awaitOutboxDrained();
    List<JsonNode> events = OrderUpdates.streamed(order);
    assertEquals(List.of("PENDING", "PAID", "SHIPPED", "DELIVERED"), OrderUpdates.statuses(events));
  }

  /**
   * A subscriber that stayed connected through the outage (as notification-service's do) gets each
   * held-back change once it is over: exactly once per order and status, none lost or repeated,
   * each the very message the stream got.
   */
  @Test
  void changesHeldBackByARedisOutageReachTheChannelExactlyOnceAfterIt() throws Exception {
    try (ChannelRecorder channel = ChannelRecorder.subscribe(vertx)) {
      long delivered = Shopper.start().placeOrder(9, 1);
      long cancelled = Shopper.start().placeOrder(10, 1);
      OrderUpdates.awaitOutboxDrained();
      ProxyControl proxy = TestStack.get().redisProxy();
      proxy.cut();
      try {
        for (String status : List.of("PAID", "SHIPPED", "DELIVERED")) {
          Shopper.changeStatus(delivered, status).then().statusCode(200);
        }
        Shopper.changeStatus(cancelled, "PAID").then().statusCode(200);
        Shopper.changeStatus(cancelled, "CANCELLED").then().statusCode(200);
        assertTrue(OrderUpdates.outboxRows() >= 5, "the outage held the changes back");
      } finally {
        proxy.restore();
      }
      OrderUpdates.awaitOutboxDrained();
      channel.caughtUp();

      Map<Long, List<String>> expected =
          Map.of(
              delivered, List.of("PENDING", "PAID", "SHIPPED", "DELIVERED"),
              cancelled, List.of("PENDING", "PAID", "CANCELLED"));
      for (var order : expected.entrySet()) {
        List<JsonNode> live = channel.of(order.getKey());
        assertEquals(order.getValue(), OrderUpdates.statuses(live), "order " + order.getKey());
        assertEquals(
            eventIds(OrderUpdates.streamed(order.getKey())),
            eventIds(live),
            "order " + order.getKey());
      }
    }
  }

  private static List<String> eventIds(List<JsonNode> events) {
    return events.stream().map(e -> e.get("event_id").asText()).toList();
  }

  /** The order's jobs, each as it waits on the list of the queue it names. */
  private List<JsonNode> jobsOf(long order) {
    List<JsonNode> jobs = new ArrayList<>();
    for (String queue : List.of(TaskQueues.DEFAULT, "critical", "bulk")) {
      for (String raw : redis.list(String.class).lrange(TaskQueues.key(queue), 0, -1)) {
        JsonNode job = OrderUpdates.parse(raw);
        if (job.path("payload").path("order_id").asLong() == order) {
          assertEquals(queue, job.path("queue").asText(TaskQueues.DEFAULT), raw);
          jobs.add(job);
        }
      }
    }
    return jobs;
  }
}
