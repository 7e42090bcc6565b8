package dev.souq.worker.rest;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The operator's view of the schedules, and runs by hand, with schedules of test jobs. */
@QuarkusTest
@TestProfile(ScheduleResourceTest.WithSchedules.class)
@WithTestResource(value = SouqTestResource.class, scope = TestResourceScope.GLOBAL)
class ScheduleResourceTest {
  /** test_flaky records its runs under payload.name: one name per schedule. */
  private static final String TICK = "schedule-tick";

  private static final String WEEKLY = "schedule-weekly";
  private static final String ONCE_FLAKY = "schedule-once-flaky";
  private static final String DOOMED = "schedule-doomed";
  private static final Pattern TICK_KEY = Pattern.compile("schedule-test_tick-(\\d+)");

  public static class WithSchedules implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.ofEntries(
          Map.entry("worker.schedules.test_tick.every", "1s"),
          Map.entry("worker.schedules.test_tick.type", "test_flaky"),
          Map.entry("worker.schedules.test_tick.payload", "{\"name\":\"" + TICK + "\"}"),
          // Weekly ticks fall on Thursdays at 00:00 UTC: none comes while these tests run.
          Map.entry("worker.schedules.test_weekly.every", "7d"),
          Map.entry("worker.schedules.test_weekly.type", "test_flaky"),
          Map.entry("worker.schedules.test_weekly.payload", "{\"name\":\"" + WEEKLY + "\"}"),
          Map.entry("worker.schedules.test_once_flaky.every", "7d"),
          Map.entry("worker.schedules.test_once_flaky.type", "test_flaky"),
          Map.entry(
              "worker.schedules.test_once_flaky.payload",
              "{\"name\":\"" + ONCE_FLAKY + "\",\"fail_until_released\":true}"),
          Map.entry("worker.schedules.test_doomed.every", "7d"),
          Map.entry("worker.schedules.test_doomed.type", "test_flaky"),
          Map.entry(
              "worker.schedules.test_doomed.payload",
              "{\"name\":\"" + DOOMED + "\",\"permanent\":true}"),
          Map.entry("worker.schedules.noop.every", "1h"),
          Map.entry("worker.schedules.noop.enabled", "false"),
          // A retry comes seconds after the failure: long enough to see the failure listed.
          Map.entry("worker.backoff.initial", "3s"),
          Map.entry("worker.backoff.jitter", "0"),
          // A job held failed retries at 3, 9, 21 s…: it is not dead before the test released it.
          Map.entry("worker.max-attempts", "10"));
    }
  }

  @Inject Runs runs;
  @Inject RedisDataSource redis;
  @Inject TaskKeys keys;

  private static RequestSpecification operator() {
    return given().header("Authorization", Tokens.ADMIN_BEARER);
  }

  @Test
  void theListShowsEveryScheduleWithItsIntervalAndNextTick() {
    JsonPath list =
        await()
            .atMost(Duration.ofSeconds(10))
            .until(
                ScheduleResourceTest::list,
                l -> l.get("find { it.name == 'test_weekly' }.next_run_at") != null);

    assertEquals(
        List.of(
            "cancel_unpaid_orders",
            "noop",
            "purge_dead_letters",
            "test_doomed",
            "test_once_flaky",
            "test_tick",
            "test_weekly"),
        list.getList("name"));
    // The shipped ones, which the test profile turns off.
    assertEquals("PT1M", list.getString("find { it.name == 'cancel_unpaid_orders' }.every"));
    assertEquals("PT1H", list.getString("find { it.name == 'purge_dead_letters' }.every"));
    assertEquals(
        List.of("cancel_unpaid_orders", "purge_dead_letters"),
        list.getList("findAll { !it.enabled && it.name == it.type && it.name != 'noop' }.name"));
    JsonPath weekly = list.setRootPath("find { it.name == 'test_weekly' }");
    assertEquals("test_flaky", weekly.getString("type"));
    assertEquals("PT168H", weekly.getString("every"));
    assertEquals(true, weekly.getBoolean("enabled"));
    Instant next = Instant.parse(weekly.getString("next_run_at"));
    assertEquals(0, next.toEpochMilli() % Duration.ofDays(7).toMillis(), "not on a tick: " + next);
    assertTrue(next.isAfter(Instant.now()), "in the past: " + next);
    assertTrue(next.isBefore(Instant.now().plus(Duration.ofDays(7))), "too far: " + next);

    JsonPath off = list.setRootPath("find { it.name == 'noop' }");
    assertEquals(false, off.getBoolean("enabled"));
    assertNull(off.get("next_run_at"), "a disabled schedule has a next tick");
  }

  @Test
  void aOneSecondScheduleRunsEachTickOnceAndTheListShowsItsLastRun() {
    await().atMost(Duration.ofSeconds(20)).until(() -> runs.of(TICK).size() >= 3);

    List<Runs.Run> seen = runs.of(TICK);
    Set<Long> ticks = new HashSet<>();
    for (Runs.Run run : seen) {
      Matcher key = TICK_KEY.matcher(String.valueOf(run.task().idempotencyKey()));
      assertTrue(key.matches(), "key " + run.task().idempotencyKey());
      long tick = Long.parseLong(key.group(1));
      assertEquals(0, tick % 1000, "not on a second: " + tick);
      assertTrue(ticks.add(tick), "tick " + tick + " ran twice");
      assertEquals("test_tick", run.task().payload().get("schedule").asText());
    }
    JsonPath tick =
        await()
            .atMost(Duration.ofSeconds(10))
            .until(
                () -> list().setRootPath("find { it.name == 'test_tick' }"),
                t -> "succeeded".equals(t.getString("last_outcome")));
    assertNotNull(tick.getString("last_run_at"));
    assertNotNull(tick.getString("last_outcome_at"));
    assertNull(tick.get("last_error"));
    assertTrue(tick.getLong("enqueued") >= 3, "enqueued " + tick.getLong("enqueued"));
    assertEquals(0, Instant.parse(tick.getString("next_run_at")).toEpochMilli() % 1000);
  }

  @Test
  void runNowQueuesOneJobWithAKeyOfItsOwnAndLeavesTheTicksAlone() {
    String nextBefore =
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> weekly().getString("next_run_at"), n -> n != null);
    int before = runs.of(WEEKLY).size();
    long scheduled = stat("scheduled:test_flaky");

    String first = runNow("test_weekly");
    String second = runNow("test_weekly");

    assertNotEquals(first, second);
    await().atMost(Duration.ofSeconds(10)).until(() -> runs.of(WEEKLY).size() == before + 2);
    assertEquals(
        Set.of(first, second),
        Set.copyOf(
            runs.of(WEEKLY).subList(before, before + 2).stream().map(r -> r.task().id()).toList()));
    for (Runs.Run run : runs.of(WEEKLY).subList(before, before + 2)) {
      assertEquals("schedule-test_weekly-run-" + run.task().id(), run.task().idempotencyKey());
    }
    assertTrue(stat("scheduled:test_flaky") >= scheduled + 2);
    JsonPath weekly =
        await()
            .atMost(Duration.ofSeconds(10))
            .until(
                ScheduleResourceTest::weekly,
                w ->
                    second.equals(w.getString("last_job_id"))
                        && "succeeded".equals(w.getString("last_outcome")));
    assertEquals(nextBefore, weekly.getString("next_run_at"), "a run by hand moved the tick");
    Management.given()
        .get("/q/metrics")
        .then()
        .body(containsString("souq_tasks_scheduled_total{schedule=\"test_weekly\"}"));
  }

  @Test
  void aRunThatFailsShowsAsFailedThenSucceeded() {
    String id = runNow("test_once_flaky");

    // The job fails until released (retries at 3, 9, 21 s…): its failure stays listed until then.
    Seen failed =
        await()
            .atMost(Duration.ofSeconds(10))
            .until(
                () -> seen("test_once_flaky", ONCE_FLAKY, id),
                s -> s.is("failed") && s.runs() >= 1);
    assertTrue(
        String.valueOf(failed.schedule().get("last_error")).matches("flaky failure \\d"),
        failed.toString());
    runs.release(ONCE_FLAKY);
    Seen succeeded =
        await()
            .atMost(Duration.ofSeconds(20))
            .until(() -> seen("test_once_flaky", ONCE_FLAKY, id), s -> s.is("succeeded"));
    assertTrue(succeeded.runs() >= 2, succeeded.toString());
  }

  @Test
  void aRunThatDiesShowsAsDeadWithItsError() {
    String id = runNow("test_doomed");

    JsonPath doomed =
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> schedule("test_doomed"), s -> "dead".equals(s.getString("last_outcome")));
    assertEquals("card declined for good", doomed.getString("last_error"));
    assertEquals(id, doomed.getString("last_job_id"));
    assertEquals(1, Jobs.deadLettersWith(redis, "schedule-test_doomed-run-" + id).size());
  }

  @Test
  void unknownSchedulesAreNotFoundAndEveryEndpointNeedsTheToken() {
    operator()
        .post("/api/tasks/schedules/no_such_schedule/run")
        .then()
        .statusCode(404)
        .contentType("application/problem+json")
        .body("detail", equalTo("No schedule no_such_schedule"));
    int before = runs.of(WEEKLY).size();
    given()
        .get("/api/tasks/schedules")
        .then()
        .statusCode(401)
        .contentType("application/problem+json");
    given().post("/api/tasks/schedules/test_weekly/run").then().statusCode(401);
    given()
        .header("Authorization", Tokens.SERVICE_BEARER)
        .post("/api/tasks/schedules/test_weekly/run")
        .then()
        .statusCode(401);
    // A refused run queued nothing: a run queued after it is the only one that comes.
    String control = runNow("test_weekly");
    await().atMost(Duration.ofSeconds(10)).until(() -> runs.of(WEEKLY).size() > before);
    assertEquals(before + 1, runs.of(WEEKLY).size());
    assertEquals(control, runs.of(WEEKLY).get(before).task().id());
  }

  private static String runNow(String name) {
    return operator()
        .post("/api/tasks/schedules/" + name + "/run")
        .then()
        .statusCode(202)
        .body("payload.schedule", equalTo(name))
        .body("attempt", equalTo(0))
        .extract()
        .path("id");
  }

  private static JsonPath list() {
    return operator().get("/api/tasks/schedules").then().statusCode(200).extract().jsonPath();
  }

  private static JsonPath schedule(String name) {
    return list().setRootPath("find { it.name == '" + name + "' }");
  }

  /**
   * What the list says of a schedule and how often its job {@code id} ran so far (recorded under
   * {@code name}): a timeout prints both, telling a job that never ran from a missing outcome.
   */
  private record Seen(Map<String, Object> schedule, long runs) {
    boolean is(String outcome) {
      return outcome.equals(schedule.get("last_outcome"));
    }
  }

  private Seen seen(String schedule, String name, String id) {
    Map<String, Object> listed = list().getMap("find { it.name == '" + schedule + "' }");
    return new Seen(listed, runs.of(name).stream().filter(r -> r.task().id().equals(id)).count());
  }

  private static JsonPath weekly() {
    return schedule("test_weekly");
  }

  private long stat(String field) {
    String value = redis.hash(String.class).hget(keys.stats(), field);
    return value == null ? 0 : Long.parseLong(value);
  }
}
