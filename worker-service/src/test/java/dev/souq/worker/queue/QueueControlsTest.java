package dev.souq.worker.queue;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.souq.shared.messages.Task;
import dev.souq.shared.messages.TaskQueues;
import dev.souq.testing.SouqTestResource;
import dev.souq.testing.Tokens;
import dev.souq.worker.config.WorkerConfig;
import dev.souq.worker.handler.Runs;
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
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The queue controls against this instance's live worker and real Redis: priorities, pausing a
 * queue or a type, and jobs going back to their own queue after a delay or a dead worker.
 */
@QuarkusTest
@WithTestResource(value = SouqTestResource.class, scope = TestResourceScope.GLOBAL)
class QueueControlsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Inject RedisDataSource redis;
  @Inject TaskKeys keys;
  @Inject Runs runs;
  @Inject WorkerConfig config;

  private static RequestSpecification operator() {
    return given().header("Authorization", Tokens.ADMIN_BEARER);
  }

  @AfterEach
  void resumeEverything() {
    redis.key().del(keys.paused());
  }

  @Test
  void aCriticalJobStartsInTheFirstFetchAheadOfTenThousandBulkJobs() {
    String bulk = Jobs.name("bulk");
    String critical = Jobs.name("critical");
    // Both queues paused while they fill, so the first fetch after the resume faces them full.
    redis.set(String.class).sadd(keys.paused(), "queue:bulk", "queue:critical");
    List<String> jobs = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      jobs.add(Jobs.json(Jobs.task("test_flaky", Map.of("name", bulk), null).on("bulk")));
    }
    redis.list(String.class).lpush(TaskQueues.key("bulk"), jobs.toArray(String[]::new));
    redis
        .list(String.class)
        .lpush(
            TaskQueues.key("critical"),
            Jobs.json(Jobs.task("test_flaky", Map.of("name", critical), null).on("critical")));
    redis.set(String.class).srem(keys.paused(), "queue:bulk", "queue:critical");

    await().atMost(Duration.ofSeconds(20)).until(() -> runs.of(critical).size() == 1);
    long criticalStart = runs.of(critical).get(0).seq();
    long bulkBefore = runs.of(bulk).stream().filter(r -> r.seq() < criticalStart).count();
    // FIFO would have run all 10,000 first: the first fetch after the resume takes critical first.
    assertEquals(0, bulkBefore, bulkBefore + " bulk jobs started before the critical one");
    // Bulk is not starved either: the whole backlog drains.
    await().atMost(Duration.ofSeconds(60)).until(() -> runs.of(bulk).size() == 10_000);
  }

  @Test
  void bulkIsNotStarvedBehindACriticalBacklog() {
    String bulk = Jobs.name("starved");
    String critical = Jobs.name("backlog");
    redis.set(String.class).sadd(keys.paused(), "queue:bulk", "queue:critical");
    List<String> criticalJobs = new ArrayList<>();
    for (int i = 0; i < 3_000; i++) {
      criticalJobs.add(
          Jobs.json(Jobs.task("test_flaky", Map.of("name", critical), null).on("critical")));
    }
    redis.list(String.class).lpush(TaskQueues.key("critical"), criticalJobs.toArray(String[]::new));
    for (int i = 0; i < 20; i++) {
      redis
          .list(String.class)
          .lpush(
              TaskQueues.key("bulk"),
              Jobs.json(Jobs.task("test_flaky", Map.of("name", bulk), null).on("bulk")));
    }
    redis.set(String.class).srem(keys.paused(), "queue:bulk", "queue:critical");

    await().atMost(Duration.ofSeconds(60)).until(() -> runs.of(critical).size() == 3_000);
    await().atMost(Duration.ofSeconds(20)).until(() -> runs.of(bulk).size() == 20);
    // Strict priority would start every bulk job after the last critical one; by weight, bulk
    // gets a share of each fetch while critical is full.
    long lastCritical = runs.of(critical).get(2_999).seq();
    long bulkDuring = runs.of(bulk).stream().filter(r -> r.seq() < lastCritical).count();
    assertEquals(20, bulkDuring, "bulk jobs that started while critical had a backlog");
  }

  @Test
  void aPausedTypesJobsAreHeldWithAttemptsUnchangedAndRunAfterResume() throws Exception {
    String name = Jobs.name("paused-type");
    operator().post("/api/tasks/types/test_flaky/pause").then().statusCode(200);
    for (int i = 0; i < 3; i++) {
      Jobs.push(redis, Jobs.task("test_flaky", Map.of("name", name), null));
    }

    await().atMost(Duration.ofSeconds(20)).until(() -> held("test_flaky", name).size() == 3);
    for (JsonNode job : held("test_flaky", name)) {
      assertEquals(0, job.path("attempt").asInt(), job.toString());
    }
    assertEquals(0, runs.of(name).size());
    JsonPath view = operator().get("/api/tasks/queues").then().statusCode(200).extract().jsonPath();
    assertEquals(true, view.get("types.find { it.type == 'test_flaky' }.paused"));
    operator()
        .get("/api/tasks/stats")
        .then()
        .statusCode(200)
        .body("paused", equalTo(List.of("type:test_flaky")));

    operator().post("/api/tasks/types/test_flaky/resume").then().statusCode(200);
    await().atMost(Duration.ofSeconds(20)).until(() -> runs.of(name).size() == 3);
    runs.of(name).forEach(run -> assertEquals(0, run.task().attempt()));
    assertEquals(0, held("test_flaky", name).size());
  }

  @Test
  void aPausedQueueKeepsItsJobsAndADelayedJobIsPromotedOntoItsOwnQueue() {
    String name = Jobs.name("paused-queue");
    operator()
        .post("/api/tasks/queues/bulk/pause")
        .then()
        .statusCode(200)
        .body("queues.find { it.name == 'bulk' }.paused", equalTo(true));
    String id =
        operator()
            .contentType(ContentType.JSON)
            .body(
                Map.of(
                    "type",
                    "test_flaky",
                    "payload",
                    Map.of("name", name),
                    "queue",
                    "bulk",
                    "delay_seconds",
                    1))
            .post("/api/tasks")
            .then()
            .statusCode(202)
            .body("queue", equalTo("bulk"))
            .extract()
            .path("id");

    // Due after a second, it moves from tasks:delayed to bulk's list, and stays there.
    await().atMost(Duration.ofSeconds(10)).until(() -> onList(TaskQueues.key("bulk"), id));
    assertEquals(0, runs.of(name).size());

    operator().post("/api/tasks/queues/bulk/resume").then().statusCode(200);
    await().atMost(Duration.ofSeconds(10)).until(() -> runs.of(name).size() == 1);
  }

  @Test
  void aDeadWorkersJobsGoBackToTheirOwnQueuesAndItsSlotLetsAHeldJobRun() {
    String name = Jobs.name("reaped");
    String waiting = Jobs.name("waiting");
    Task job = Jobs.task("test_flaky", Map.of("name", name), null).on("bulk");
    redis.set(String.class).sadd(keys.paused(), "queue:bulk");
    // A worker died running a test_limited job (limit 1) and holding its one slot, while
    // another test_limited job waits for that slot.
    String ghost = Jobs.name("ghost");
    String running = Jobs.json(Jobs.task("test_limited", Map.of("name", name), null));
    redis.hash(Long.class).hincrby(keys.inflight(), "test_limited", 1);
    redis.hash(String.class).hset(keys.slots(ghost), Digests.sha1(bytes(running)), "test_limited");
    redis.list(String.class).lpush(keys.processing(ghost), Jobs.json(job), running);
    redis.set(String.class).sadd(keys.workers(), ghost);
    Jobs.push(redis, Jobs.task("test_limited", Map.of("name", waiting), null));

    await().atMost(Duration.ofSeconds(20)).until(() -> onList(TaskQueues.key("bulk"), job.id()));
    assertEquals(0, redis.key().exists(keys.slots(ghost)) ? 1 : 0);
    // The slot came back: the waiting job and the dead worker's own run, one after the other.
    await().atMost(Duration.ofSeconds(20)).until(() -> runs.of(waiting).size() == 1);
    await().atMost(Duration.ofSeconds(20)).until(() -> runs.of(name).size() == 1);

    redis.set(String.class).srem(keys.paused(), "queue:bulk");
    await().atMost(Duration.ofSeconds(10)).until(() -> runs.of(name).size() == 2);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> redis.hash(Long.class).hget(keys.inflight(), "test_limited") == null);
  }

  @Test
  void aDeadWorkersBigTracedJobGoesBackToItsOwnQueue() {
    // Over the 16 KB the scripts decode: only the envelope's tail says the queue, and a traced
    // job carries its traceparent too.
    Task job =
        Jobs.task("test_flaky", Map.of("name", Jobs.name("big"), "pad", "x".repeat(20_000)), null)
            .on("bulk")
            .traced("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
    String ghost = Jobs.name("ghost");
    redis.set(String.class).sadd(keys.paused(), "queue:bulk");
    redis.list(String.class).lpush(keys.processing(ghost), Jobs.json(job));
    redis.set(String.class).sadd(keys.workers(), ghost);

    await().atMost(Duration.ofSeconds(20)).until(() -> onList(TaskQueues.key("bulk"), job.id()));
    assertFalse(onList(Task.QUEUE, job.id()), "not on the default queue");
  }

  @Test
  void aSlotCountLeftWrongByACrashIsMendedAndTheHeldJobRuns() {
    String name = Jobs.name("mended");
    // Slots no live worker holds (a give-back lost to a crash): the limit looks full for good.
    redis.hash(Long.class).hincrby(keys.inflight(), "test_limited", 5);
    Jobs.push(redis, Jobs.task("test_limited", Map.of("name", name), null));

    await().atMost(Duration.ofSeconds(20)).until(() -> runs.of(name).size() == 1);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> redis.hash(Long.class).hget(keys.inflight(), "test_limited") == null);
  }

  @Test
  void aPacedTypeRunsItsBacklogAtItsRateEachJobOnceAndNoneSentBackTwice() {
    String name = Jobs.name("paced");
    long paced = counter("paced:test_paced");
    for (int i = 0; i < 15; i++) {
      Jobs.push(redis, Jobs.task("test_paced", Map.of("name", name), null));
    }

    await().atMost(Duration.ofSeconds(30)).until(() -> runs.of(name).size() == 15);
    List<Runs.Run> all = runs.of(name);
    all.forEach(run -> assertEquals(0, run.task().attempt()));
    assertEquals(15, all.stream().map(run -> run.task().id()).distinct().count());
    // 5 a second with a second's worth at once: the last of 15 starts 2 s after the first at the
    // soonest (a slow machine only spreads them further).
    Duration spread = Duration.between(all.get(0).startedAt(), all.get(all.size() - 1).startedAt());
    assertTrue(spread.toMillis() >= 1800, "15 jobs at 5 a second ran within " + spread);
    // Each job over the burst waited once, for its own turn: a ticket lets it run when it comes
    // back instead of sending it off again.
    long waited = counter("paced:test_paced") - paced;
    assertTrue(waited >= 1 && waited <= 10, waited + " jobs were sent to wait");
    JsonPath view = operator().get("/api/tasks/queues").then().statusCode(200).extract().jsonPath();
    assertEquals(5, (Integer) view.get("types.find { it.type == 'test_paced' }.rate"));
  }

  @Test
  void aBareJobPushedWithLpushAsTheSeedsProducersDoStillRunsFromTheDefaultQueue() {
    String marker = Jobs.name("bare");
    long processed = counter("processed:default");
    redis.list(String.class).lpush("tasks", "{\"marker\":\"" + marker + "\",\"order_id\":7}");

    await().atMost(Duration.ofSeconds(20)).until(() -> counter("processed:default") > processed);
    assertEquals(List.of(), Jobs.deadLettersWith(redis, marker));
  }

  @Test
  void jobsFromTheYear1000OrFarFutureRunAndLeaveTheWorkerRunning() {
    // Their wait would overflow a duration in nanoseconds: it must neither throw out of the
    // fetch loop (the worker would stop taking jobs) nor reach the histogram as such.
    long processed = counter("processed:noop");
    for (String at : List.of("1000-01-01T00:00:00Z", "+100000-01-01T00:00:00Z")) {
      redis
          .list(String.class)
          .lpush(
              "tasks",
              "{\"id\":\""
                  + Jobs.name("epoch")
                  + "\",\"type\":\"noop\",\"payload\":{},\"attempt\":0,\"enqueued_at\":\""
                  + at
                  + "\"}");
    }
    await().atMost(Duration.ofSeconds(20)).until(() -> counter("processed:noop") >= processed + 2);
    String bare = Jobs.name("after");
    long defaults = counter("processed:default");
    redis.list(String.class).lpush("tasks", "{\"marker\":\"" + bare + "\"}");
    await().atMost(Duration.ofSeconds(20)).until(() -> counter("processed:default") > defaults);
  }

  /** An idle worker waits for a producer's wake-up, never on a queue (README "Worker"). */
  @Test
  void anIdleWorkerTakesTheWakeUpTokensProducersPush() {
    redis.list(String.class).lpush(TaskQueues.WAKE, "1", "1", "1");
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> redis.list(String.class).llen(TaskQueues.WAKE) == 0);
  }

  @Test
  void unknownQueuesAndTypesAreRefused() {
    operator().post("/api/tasks/queues/nope/pause").then().statusCode(404);
    operator().post("/api/tasks/queues/NOPE!/pause").then().statusCode(404);
    operator().post("/api/tasks/types/no_such_type/pause").then().statusCode(404);
    operator()
        .contentType(ContentType.JSON)
        .body(Map.of("type", "noop", "queue", "nope"))
        .post("/api/tasks")
        .then()
        .statusCode(422)
        .contentType("application/problem+json");
    given().get("/api/tasks/queues").then().statusCode(401);
    given().post("/api/tasks/queues/bulk/pause").then().statusCode(401);
    given().post("/api/tasks/types/noop/pause").then().statusCode(401);
    assertEquals(0L, redis.set(String.class).scard(keys.paused()));
  }

  private long counter(String field) {
    Long value = redis.hash(Long.class).hget(keys.stats(), field);
    return value == null ? 0 : value;
  }

  /** The jobs of this test held back for {@code type}, as Redis keeps them. */
  private List<JsonNode> held(String type, String name) throws Exception {
    List<JsonNode> jobs = new ArrayList<>();
    for (String raw : redis.list(String.class).lrange(keys.held(type), 0, -1)) {
      JsonNode job = JSON.readTree(raw);
      if (name.equals(job.path("payload").path("name").asText())) {
        jobs.add(job);
      }
    }
    return jobs;
  }

  private static byte[] bytes(String job) {
    return job.getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  private boolean onList(String list, String id) {
    return redis.list(String.class).lrange(list, 0, -1).stream().anyMatch(j -> j.contains(id));
  }
}
