package dev.souq.worker.handlers;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.souq.shared.json.JsonText;
import dev.souq.shared.messages.Task;
import dev.souq.testing.Management;
import dev.souq.testing.SouqTestResource;
import dev.souq.testing.Tokens;
import dev.souq.worker.config.WorkerConfig;
import dev.souq.worker.queue.DeadLetter;
import dev.souq.worker.queue.Jobs;
import dev.souq.worker.queue.TaskKeys;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * The upkeep handlers (cancel_unpaid_orders, purge_dead_letters, release_stock) against stand-ins
 * for order-service and catalog-service, with real Redis underneath.
 */
@QuarkusTest
@WithTestResource(value = SouqTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = OrderApiStub.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
@WithTestResource(value = CatalogApiStub.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
class UpkeepHandlersTest {
  private static final String CANCEL = "/api/orders/unpaid/cancel";

  @Inject RedisDataSource redis;
  @Inject TaskKeys keys;
  @Inject ObjectMapper json;
  @Inject WorkerConfig config;

  @ConfigProperty(name = "quarkus.rest-client.order.url")
  String orderApi;

  @ConfigProperty(name = "quarkus.rest-client.catalog.url")
  String catalogApi;

  @Test
  void cancelUnpaidOrdersCallsAgainWhileOrderServiceSaysThereAreMore() {
    given().baseUri(orderApi).post("/stub/unpaid?count=250").then().statusCode(204);
    int before = calls(orderApi, CANCEL).size();

    finish(Jobs.task("cancel_unpaid_orders", Map.of(), Jobs.name("cancel")));

    // 100, 100, then 50 and "no more".
    List<Map<String, Object>> calls = calls(orderApi, CANCEL);
    assertEquals(3, calls.size() - before, "calls: " + calls);
    for (Map<String, Object> call : calls.subList(before, calls.size())) {
      assertEquals("POST", call.get("method"));
      assertEquals("limit=100", call.get("query"));
      assertEquals(Tokens.SERVICE_BEARER, call.get("authorization"));
      assertEquals("", call.get("body"));
    }
  }

  @Test
  void cancelUnpaidOrdersStopsAfterFiftyCallsAndLeavesTheRestToTheNextRun() {
    given().baseUri(orderApi).post("/stub/unpaid?count=1000000").then().statusCode(204);
    int before = calls(orderApi, CANCEL).size();

    finish(Jobs.task("cancel_unpaid_orders", Map.of(), Jobs.name("cancel-many")));

    assertEquals(CancelUnpaidOrdersHandler.MAX_CALLS, calls(orderApi, CANCEL).size() - before);
    given().baseUri(orderApi).post("/stub/unpaid?count=0").then().statusCode(204);
  }

  @Test
  void purgeRemovesOnlyDeadLettersPastTheRetention() {
    Instant now = Instant.now();
    Duration retention = config.deadLetterRetention();
    String run = Jobs.name("purge");
    // tasks:dead is newest first: these go to the oldest end, the oldest last.
    String young =
        letter(
            run + "-young",
            now.minus(retention).plus(Duration.ofHours(1)),
            // What a dead_at inside a string looks like: it must not count.
            "upstream said \"dead_at\":\"2000-01-01T00:00:00Z\"");
    String old = letter(run + "-old", now.minus(retention).minusSeconds(60), "boom");
    String older = letter(run + "-older", now.minus(retention.multipliedBy(3)), "boom");
    String unreadable = "not a dead letter " + run + "-unreadable";
    redis.list(String.class).rpush(keys.dead(), young, old, older, unreadable);
    long purged = stat("purged");

    finish(Jobs.task("purge_dead_letters", Map.of(), Jobs.name("purge")));

    List<String> left =
        redis.list(String.class).lrange(keys.dead(), 0, -1).stream()
            .filter(entry -> entry.contains(run))
            .toList();
    assertEquals(List.of(young, unreadable), left);
    assertTrue(stat("purged") >= purged + 2, "purged " + purged + " → " + stat("purged"));
    Management.given().get("/q/metrics").then().body(containsString("souq_tasks_purged_total"));
    redis.list(String.class).lrem(keys.dead(), 1, young);
    redis.list(String.class).lrem(keys.dead(), 1, unreadable);
  }

  @Test
  void releaseStockDeletesTheReservationWithTheServiceToken() {
    String placement = UUID.randomUUID().toString();
    finish(Jobs.task("release_stock", Map.of("order_id", 42, "placement", placement), key()));

    List<Map<String, Object>> calls = calls(catalogApi, reservation(placement));
    assertEquals(1, calls.size());
    assertEquals("DELETE", calls.get(0).get("method"));
    assertEquals(Tokens.SERVICE_BEARER, calls.get(0).get("authorization"));
  }

  @Test
  void releaseStockThatCatalogServiceRefusesIsADeadLetterAtOnce() {
    for (String status : List.of("400", "404", "422")) {
      String placement = CatalogApiStub.STATUS_PREFIX + status;
      int before = calls(catalogApi, reservation(placement)).size();
      String key = key();
      Jobs.push(
          redis, Jobs.task("release_stock", Map.of("order_id", 42, "placement", placement), key));

      Map<String, Object> letter = deadLetter(key);
      assertEquals("permanent_failure", letter.get("reason"), status);
      assertEquals(
          "catalog-service refused to release reservation " + placement + " (" + status + ")",
          letter.get("error"));
      assertEquals(1, calls(catalogApi, reservation(placement)).size() - before, status);
    }
  }

  @Test
  void releaseStockIsRetriedOnAnyOtherAnswer() {
    // 503 once, then 204: the retry succeeds.
    String flaky = CatalogApiStub.STATUS_PREFIX + "503";
    finish(Jobs.task("release_stock", Map.of("order_id", 42, "placement", flaky), key()));
    assertEquals(2, calls(catalogApi, reservation(flaky)).size());

    // Always 500, or the token refused: retried until its attempts are spent, then put off
    // (snoozed) 5 minutes at a time instead of a dead letter, which would lose the stock.
    for (String status : List.of("500", "401")) {
      String placement = CatalogApiStub.STATUS_PREFIX + status;
      int before = calls(catalogApi, reservation(placement)).size();
      String key = key();
      Jobs.push(
          redis, Jobs.task("release_stock", Map.of("order_id", 42, "placement", placement), key));

      String parked =
          await()
              .atMost(Duration.ofSeconds(30))
              .until(
                  () ->
                      redis.sortedSet(String.class).zrangeWithScores(keys.delayed(), 0, -1).stream()
                          .filter(job -> job.value().contains(key))
                          // Due in minutes: put off, not an ordinary retry's backoff of seconds.
                          .filter(job -> job.score() > System.currentTimeMillis() + 60_000)
                          .map(job -> job.value())
                          .findFirst(),
                  java.util.Optional::isPresent)
              .get();
      assertEquals(
          config.maxAttempts(),
          calls(catalogApi, reservation(placement)).size() - before,
          "calls for " + status);
      assertTrue(
          parked.contains("\"attempt\":" + (config.maxAttempts() - 1)),
          "attempts unspent: " + parked);
      assertEquals(List.of(), Jobs.deadLettersWith(redis, key), "no dead letter for " + status);
      redis.sortedSet(String.class).zrem(keys.delayed(), parked);
    }
  }

  @Test
  void releaseStockWithoutAPlacementUuidIsADeadLetterWithoutACall() {
    int before = calls(catalogApi, null).size();
    List<Map<String, Object>> payloads =
        List.of(
            Map.of("order_id", 42, "placement", "not-a-uuid"),
            Map.of("order_id", 42, "placement", "1-2-3-4-5"),
            Map.of("order_id", 42, "placement", 7),
            Map.of("order_id", 42));
    for (Map<String, Object> payload : payloads) {
      String key = key();
      Jobs.push(redis, Jobs.task("release_stock", payload, key));
      Map<String, Object> letter = deadLetter(key);
      assertEquals("permanent_failure", letter.get("reason"), payload.toString());
      assertEquals("payload.placement must be a UUID", letter.get("error"));
    }
    String key = key();
    Jobs.push(
        redis, Jobs.task("release_stock", Map.of("placement", UUID.randomUUID().toString()), key));
    assertEquals("payload.order_id must be a positive number", deadLetter(key).get("error"));
    assertEquals(before, calls(catalogApi, null).size(), "catalog-service was called");
  }

  /** Pushes {@code task} and waits until it has finished: its idempotency key reads done. */
  private void finish(Task task) {
    Jobs.push(redis, task);
    Jobs.awaitDone(redis, task, Duration.ofSeconds(30));
  }

  private Map<String, Object> deadLetter(String marker) {
    return await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> Jobs.deadLettersWith(redis, marker), list -> list.size() == 1)
        .get(0);
  }

  private String letter(String marker, Instant deadAt, String error) {
    String job = Jobs.json(Jobs.task("test_flaky", Map.of("name", marker), null));
    return JsonText.write(
        json,
        new DeadLetter(
            UUID.randomUUID().toString(),
            "permanent_failure",
            error,
            UUID.randomUUID().toString(),
            "test_flaky",
            1,
            deadAt.minusSeconds(5),
            deadAt,
            "worker-1",
            job,
            null,
            (long) job.length(),
            "0".repeat(64),
            false));
  }

  private long stat(String field) {
    String value = redis.hash(String.class).hget(keys.stats(), field);
    return value == null ? 0 : Long.parseLong(value);
  }

  private static String key() {
    return Jobs.name("release");
  }

  private static String reservation(String placement) {
    return "/api/stock/reservations/" + placement;
  }

  /** The calls the stub at {@code api} recorded to {@code path} (any path for null). */
  private static List<Map<String, Object>> calls(String api, String path) {
    List<Map<String, Object>> all =
        given().baseUri(api).get("/stub/calls").then().extract().jsonPath().getList("");
    return all.stream().filter(call -> path == null || path.equals(call.get("path"))).toList();
  }
}
