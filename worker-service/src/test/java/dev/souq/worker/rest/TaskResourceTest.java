package dev.souq.worker.rest;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.souq.testing.SouqTestResource;
import dev.souq.testing.Tokens;
import dev.souq.worker.handler.Runs;
import dev.souq.worker.queue.Jobs;
import dev.souq.worker.queue.TaskKeys;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(value = SouqTestResource.class, scope = TestResourceScope.GLOBAL)
class TaskResourceTest {
  @Inject RedisDataSource redis;
  @Inject Runs runs;
  @Inject TaskKeys keys;

  private static RequestSpecification operator() {
    return given().header("Authorization", Tokens.ADMIN_BEARER);
  }

  @Test
  void everyEndpointNeedsTheOperatorToken() {
    given().get("/api/tasks/stats").then().statusCode(401).contentType("application/problem+json");
    given().header("Authorization", "Bearer nope").get("/api/tasks/dead").then().statusCode(401);
    given()
        .contentType(ContentType.JSON)
        .body("{\"type\":\"noop\"}")
        .post("/api/tasks")
        .then()
        .statusCode(401);
    given()
        .post("/api/tasks/dead/00000000-0000-0000-0000-000000000000/retry")
        .then()
        .statusCode(401);
    given().delete("/api/tasks/dead/00000000-0000-0000-0000-000000000000").then().statusCode(401);
  }

  @Test
  void enqueuedJobsRunNowOrWhenDue() {
    String now = Jobs.name("http-now");
    operator()
        .contentType(ContentType.JSON)
        .body(Map.of("type", "test_flaky", "payload", Map.of("name", now)))
        .post("/api/tasks")
        .then()
        .statusCode(202)
        .body("id", notNullValue())
        .body("type", equalTo("test_flaky"))
        .body("attempt", equalTo(0));
    await().atMost(Duration.ofSeconds(10)).until(() -> runs.of(now).size() == 1);

    String later = Jobs.name("http-later");
    String due =
        operator()
            .contentType(ContentType.JSON)
            .body(
                Map.of("type", "test_flaky", "payload", Map.of("name", later), "delay_seconds", 1))
            .post("/api/tasks")
            .then()
            .statusCode(202)
            .extract()
            .path("run_at");
    await().atMost(Duration.ofSeconds(15)).until(() -> runs.of(later).size() == 1);
    assertFalse(runs.of(later).get(0).startedAt().isBefore(Instant.parse(due)), "ran before due");
  }

  @Test
  void badRequestsAreProblemsNotJobs() {
    // Each body is a valid job with one defect, marked with its own marker: in payload.name
    // (test_flaky records its runs under it) and in the idempotency key, where the defect allows.
    Map<String, Object> bodies = new LinkedHashMap<>();
    String noType = Jobs.name("no-type");
    bodies.put(noType, with(valid(noType), "type", null));
    String badType = Jobs.name("bad-type");
    bodies.put(badType, with(valid(badType), "type", "Not A Type"));
    String arrayPayload = Jobs.name("array-payload");
    bodies.put(arrayPayload, with(valid(arrayPayload), "payload", List.of(arrayPayload)));
    String negativeDelay = Jobs.name("negative-delay");
    bodies.put(negativeDelay, with(valid(negativeDelay), "delay_seconds", -1));
    String hugeDelay = Jobs.name("huge-delay");
    bodies.put(hugeDelay, with(valid(hugeDelay), "delay_seconds", 99999999));
    String emptyKey = Jobs.name("empty-key");
    bodies.put(emptyKey, with(valid(emptyKey), "idempotency_key", ""));
    String unknownField = Jobs.name("unknown-field");
    bodies.put(unknownField, with(valid(unknownField), "surprise", 1));
    String array = Jobs.name("array");
    bodies.put(array, List.of(valid(array)));

    List<Object> requests = new ArrayList<>(bodies.values());
    requests.add("not json");
    for (Object body : requests) {
      operator()
          .contentType(ContentType.JSON)
          .body(body)
          .post("/api/tasks")
          .then()
          .statusCode(400)
          .contentType("application/problem+json");
    }
    String noHandler = Jobs.name("no-handler");
    operator()
        .contentType(ContentType.JSON)
        .body(with(valid(noHandler), "type", "no_such_handler"))
        .post("/api/tasks")
        .then()
        .statusCode(422)
        .body("detail", containsString("no_such_handler"));

    // The control: without a defect the body is a job, and tracesOf finds it at once.
    String accepted = Jobs.name("accepted");
    operator()
        .contentType(ContentType.JSON)
        .body(valid(accepted))
        .post("/api/tasks")
        .then()
        .statusCode(202);
    assertFalse(tracesOf(accepted).isEmpty(), "an accepted job left no trace");
    await().atMost(Duration.ofSeconds(10)).until(() -> runs.of(accepted).size() == 1);

    List<String> rejected = new ArrayList<>(bodies.keySet());
    rejected.add(noHandler);
    for (String marker : rejected) {
      assertEquals(List.of(), tracesOf(marker), "a rejected request became a job: " + marker);
    }
  }

  /** A job test_flaky runs, marked with {@code marker}. */
  private static Map<String, Object> valid(String marker) {
    return Map.of(
        "type", "test_flaky", "payload", Map.of("name", marker), "idempotency_key", marker);
  }

  /** {@code body} with {@code field} set to {@code value}, or without it for null. */
  private static Map<String, Object> with(Map<String, Object> body, String field, Object value) {
    Map<String, Object> changed = new LinkedHashMap<>(body);
    if (value == null) {
      changed.remove(field);
    } else {
      changed.put(field, value);
    }
    return changed;
  }

  /**
   * Where a job carrying {@code marker} is or has been, looked at in the order a job passes through
   * them (delayed, queue, a processing list, then its idempotency key and run, or a dead letter): a
   * job moving on while this looks is seen in the next place.
   */
  private List<String> tracesOf(String marker) {
    List<String> traces = new ArrayList<>();
    if (redis.sortedSet(String.class).zrange(keys.delayed(), 0, -1).stream()
        .anyMatch(job -> job.contains(marker))) {
      traces.add(keys.delayed());
    }
    if (queued().stream().anyMatch(job -> job.contains(marker))) {
      traces.add(TaskKeys.QUEUE);
    }
    for (String processing : redis.key().keys(keys.processing("*"))) {
      if (redis.list(String.class).lrange(processing, 0, -1).stream()
          .anyMatch(job -> job.contains(marker))) {
        traces.add(processing);
      }
    }
    if (redis.key().exists(keys.idempotency(marker))) {
      traces.add(keys.idempotency(marker));
    }
    if (!runs.of(marker).isEmpty()) {
      traces.add("a run");
    }
    if (!Jobs.deadLettersWith(redis, marker).isEmpty()) {
      traces.add(keys.dead());
    }
    return traces;
  }

  private List<String> queued() {
    return redis.list(String.class).lrange(TaskKeys.QUEUE, 0, -1);
  }

  @Test
  void aDeadLetterCanBeRetriedOnceAndDeleted() {
    String name = Jobs.name("revive");
    // Fails every run (max-attempts is 3 in tests): dead after 3 runs, and again after 3 more.
    Jobs.push(redis, Jobs.task("test_flaky", Map.of("name", name, "fail_times", 3), null));
    String id = awaitDeadLetterId(name);

    operator()
        .post("/api/tasks/dead/" + id + "/retry")
        .then()
        .statusCode(202)
        .body("dead_letter_id", equalTo(id));
    operator().post("/api/tasks/dead/" + id + "/retry").then().statusCode(404);
    await().atMost(Duration.ofSeconds(30)).until(() -> runs.of(name).size() == 6);
    String again = awaitDeadLetterId(name);

    operator().delete("/api/tasks/dead/" + again).then().statusCode(204);
    operator().delete("/api/tasks/dead/" + again).then().statusCode(404);
    operator().delete("/api/tasks/dead/not-an-id").then().statusCode(404);
    operator()
        .get("/api/tasks/dead?limit=500")
        .then()
        .statusCode(200)
        .body("items.id", org.hamcrest.Matchers.not(hasItem(again)));
    operator().get("/api/tasks/dead?limit=0").then().statusCode(400);
  }

  private String awaitDeadLetterId(String marker) {
    return (String)
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> Jobs.deadLettersWith(redis, marker), list -> list.size() == 1)
            .get(0)
            .get("id");
  }
}
