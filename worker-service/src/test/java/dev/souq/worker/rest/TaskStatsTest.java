package dev.souq.worker.rest;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItem;

import dev.souq.testing.Management;
import dev.souq.testing.SouqTestResource;
import dev.souq.testing.Tokens;
import dev.souq.worker.config.WorkerConfig;
import dev.souq.worker.handler.Runs;
import dev.souq.worker.handlers.EchoHandler;
import dev.souq.worker.queue.Jobs;
import dev.souq.worker.queue.TaskKeys;
import dev.souq.worker.queue.WorkerIdentity;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** What an operator reads of the queue: depths, counters and workers, each as the test made it. */
@QuarkusTest
@WithTestResource(value = SouqTestResource.class, scope = TestResourceScope.GLOBAL)
class TaskStatsTest {
  @Inject RedisDataSource redis;
  @Inject Runs runs;
  @Inject TaskKeys keys;
  @Inject WorkerIdentity identity;
  @Inject WorkerConfig config;

  private static RequestSpecification operator() {
    return given().header("Authorization", Tokens.ADMIN_BEARER);
  }

  @Test
  void statsShowDepthsCountersAndWorkers() {
    JsonPath before = stats();
    String run = Jobs.name("stats");
    String dying = run + "-dead";
    Jobs.push(redis, Jobs.task("test_flaky", Map.of("name", dying, "permanent", true), null));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> Jobs.deadLettersWith(redis, dying).size() == 1);
    String later = run + "-later";
    operator()
        .contentType(ContentType.JSON)
        .body(Map.of("type", "test_flaky", "payload", Map.of("name", later), "delay_seconds", 3600))
        .post("/api/tasks")
        .then()
        .statusCode(202);
    // Echo jobs hold every slot of this worker for seconds; the job pushed last (leftmost) waits
    // in the queue behind them.
    List<String> holders =
        IntStream.range(0, config.concurrency())
            .mapToObj(
                i -> Jobs.json(Jobs.task("echo", Map.of("reply_to", run, "delay_ms", 3000), null)))
            .toList();
    String waiting = Jobs.json(Jobs.task("test_flaky", Map.of("name", run), null));
    List<String> jobs = new ArrayList<>(holders);
    jobs.add(waiting);
    try {
      Jobs.push(redis, jobs.toArray(String[]::new));
      Held held =
          await()
              .atMost(Duration.ofSeconds(10))
              .pollInterval(Duration.ofMillis(50))
              .until(() -> statsWhileHeld(holders, waiting, later, dying), Objects::nonNull);

      assertThat(held.stats().getLong("queued"), greaterThanOrEqualTo(1L));
      assertThat(held.stats().getLong("processing"), greaterThanOrEqualTo((long) held.inFlight()));
      assertThat(held.stats().getLong("delayed"), greaterThanOrEqualTo(1L));
      assertThat(held.stats().getLong("dead"), greaterThanOrEqualTo(1L));
      assertThat(held.stats().getList("workers", String.class), hasItem(identity.id()));

      await().atMost(Duration.ofSeconds(20)).until(() -> runs.of(run).size() == 1);
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () -> {
                JsonPath after = stats();
                assertRose(before, after, "processed", holders.size() + 1);
                assertRose(before, after, "failed", 1);
                assertRose(before, after, "types.echo.processed", holders.size());
                assertRose(before, after, "types.test_flaky.processed", 1);
                assertRose(before, after, "types.test_flaky.dead", 1);
              });
    } finally {
      redis.sortedSet(String.class).zrange(keys.delayed(), 0, -1).stream()
          .filter(job -> job.contains(later))
          .forEach(job -> redis.sortedSet(String.class).zrem(keys.delayed(), job));
      redis.key().del(EchoHandler.key(run));
    }
    Management.given()
        .get("/q/metrics")
        .then()
        .statusCode(200)
        .body(containsString("souq_tasks_processed_total{type=\"test_flaky\"}"))
        .body(
            containsString(
                "souq_tasks_handler_seconds_count{outcome=\"succeeded\",type=\"test_flaky\"}"))
        .body(
            containsString(
                "souq_tasks_handler_seconds_count{outcome=\"failed\",type=\"test_flaky\"}"))
        .body(containsString("souq_tasks_in_flight "))
        .body(containsString("souq_tasks_queue_depth{queue=\"tasks\"}"))
        .body(containsString("souq_tasks_queue_depth{queue=\"dead\"}"));
  }

  /** A stats read, and how many of the holders were in flight from before it until after it. */
  private record Held(JsonPath stats, int inFlight) {}

  /**
   * Reads the stats between two looks at Redis; null unless {@code waiting} was queued, {@code
   * later} delayed, {@code dead} a dead letter and some holders in this worker's processing list at
   * both looks. A job leaves each of those places at most once, so they were there during the read.
   */
  private Held statsWhileHeld(List<String> holders, String waiting, String later, String dead) {
    Set<String> inFlight = inFlight(holders);
    boolean placed = placed(waiting, later, dead);
    JsonPath stats = stats();
    inFlight.retainAll(inFlight(holders));
    placed &= placed(waiting, later, dead);
    return placed && !inFlight.isEmpty() ? new Held(stats, inFlight.size()) : null;
  }

  private Set<String> inFlight(List<String> jobs) {
    Set<String> held = new HashSet<>(redis.list(String.class).lrange(identity.processing(), 0, -1));
    held.retainAll(jobs);
    return held;
  }

  private boolean placed(String waiting, String later, String dead) {
    return redis.list(String.class).lrange(TaskKeys.QUEUE, 0, -1).contains(waiting)
        && redis.sortedSet(String.class).zrange(keys.delayed(), 0, -1).stream()
            .anyMatch(job -> job.contains(later))
        && Jobs.deadLettersWith(redis, dead).size() == 1;
  }

  private static JsonPath stats() {
    return operator().get("/api/tasks/stats").then().statusCode(200).extract().jsonPath();
  }

  private static void assertRose(JsonPath before, JsonPath after, String counter, long by) {
    assertThat(counter, count(after, counter), greaterThanOrEqualTo(count(before, counter) + by));
  }

  private static long count(JsonPath stats, String counter) {
    Number count = stats.get(counter);
    return count == null ? 0 : count.longValue();
  }
}
