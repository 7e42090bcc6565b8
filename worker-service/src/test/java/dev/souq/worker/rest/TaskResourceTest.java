package dev.souq.worker.rest;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.souq.testing.Management;
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
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(value = SouqTestResource.class, scope = TestResourceScope.GLOBAL)
class TaskResourceTest {
  @Inject RedisDataSource redis;
  @Inject Runs runs;

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
    String[] bodies = {
      "{}",
      "{\"type\":\"Not A Type\"}",
      "{\"type\":\"noop\",\"payload\":[1]}",
      "{\"type\":\"noop\",\"delay_seconds\":-1}",
      "{\"type\":\"noop\",\"delay_seconds\":99999999}",
      "{\"type\":\"noop\",\"idempotency_key\":\"\"}",
      "{\"type\":\"noop\",\"surprise\":1}",
      "not json",
      "[]"
    };
    long queued = redis.list(String.class).llen(TaskKeys.QUEUE);
    for (String body : bodies) {
      operator()
          .contentType(ContentType.JSON)
          .body(body)
          .post("/api/tasks")
          .then()
          .statusCode(400)
          .contentType("application/problem+json");
    }
    operator()
        .contentType(ContentType.JSON)
        .body("{\"type\":\"no_such_handler\"}")
        .post("/api/tasks")
        .then()
        .statusCode(422)
        .body("detail", containsString("no_such_handler"));
    assertFalse(redis.list(String.class).llen(TaskKeys.QUEUE) > queued + 50, "jobs were queued");
  }

  @Test
  void statsShowDepthsCountersAndWorkers() {
    String name = Jobs.name("stats");
    Jobs.push(redis, Jobs.task("test_flaky", Map.of("name", name), null));
    await().atMost(Duration.ofSeconds(10)).until(() -> runs.of(name).size() == 1);
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                operator()
                    .get("/api/tasks/stats")
                    .then()
                    .statusCode(200)
                    .body("queued", greaterThanOrEqualTo(0))
                    .body("processing", greaterThanOrEqualTo(0))
                    .body("delayed", greaterThanOrEqualTo(0))
                    .body("dead", greaterThanOrEqualTo(0))
                    .body("processed", greaterThanOrEqualTo(1))
                    .body("workers.size()", greaterThanOrEqualTo(1))
                    .body("types.test_flaky.processed", greaterThanOrEqualTo(1)));
    Management.given()
        .get("/q/metrics")
        .then()
        .statusCode(200)
        .body(containsString("souq_tasks_processed_total{type=\"test_flaky\"}"))
        .body(containsString("souq_tasks_handler_seconds_count{type=\"test_flaky\"}"))
        .body(containsString("souq_tasks_in_flight "))
        .body(containsString("souq_tasks_queue_depth{queue=\"tasks\"}"))
        .body(containsString("souq_tasks_queue_depth{queue=\"dead\"}"));
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
