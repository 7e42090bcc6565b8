package dev.souq.worker.queue;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.souq.shared.messages.Task;
import dev.souq.testing.SouqTestResource;
import dev.souq.worker.config.WorkerConfig;
import dev.souq.worker.handler.Runs;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(value = SouqTestResource.class, scope = TestResourceScope.GLOBAL)
class RetryAndDeadLetterTest {
  @Inject RedisDataSource redis;
  @Inject TaskKeys keys;
  @Inject Runs runs;
  @Inject WorkerConfig config;

  @Test
  void aSnoozedJobRunsAgainWhenItAskedWithoutSpendingAnAttempt() {
    String name = Jobs.name("snooze");
    // More snoozes than max-attempts (3 in tests): were they attempts, the job would be dead.
    int snoozes = config.maxAttempts() + 2;
    long snoozedBefore = counter("snoozed:test_snooze");
    Jobs.push(redis, Jobs.task("test_snooze", Map.of("name", name, "snoozes", snoozes), null));

    await().atMost(Duration.ofSeconds(30)).until(() -> runs.of(name).size() == snoozes + 1);
    List<Runs.Run> seen = runs.of(name);
    assertTrue(seen.stream().allMatch(r -> r.task().attempt() == 0), "an attempt was spent");
    for (int i = 1; i < seen.size(); i++) {
      Task again = seen.get(i).task();
      // Due one second after the snooze, and never run before it.
      assertFalse(again.runAt().isBefore(seen.get(i - 1).startedAt().plusSeconds(1)), "too soon");
      assertFalse(seen.get(i).startedAt().isBefore(again.runAt()), "ran before due");
    }
    assertEquals(snoozedBefore + snoozes, counter("snoozed:test_snooze"));
    assertTrue(Jobs.deadLettersWith(redis, name).isEmpty());
  }

  @Test
  void aJobThatFailsTwiceRunsThreeTimesWithTheBackoffItWasGiven() {
    String name = Jobs.name("flaky");
    Task task = Jobs.task("test_flaky", Map.of("name", name, "fail_times", 2), null);
    long processedBefore = counter("processed:test_flaky");
    Jobs.push(redis, task);

    await().atMost(Duration.ofSeconds(30)).until(() -> runs.of(name).size() == 3);
    List<Runs.Run> seen = runs.of(name);
    assertEquals(List.of(0, 1, 2), seen.stream().map(r -> r.task().attempt()).toList());
    Backoff backoff = new Backoff(config.backoff());
    double jitter = config.backoff().jitter();
    for (int attempt = 1; attempt <= 2; attempt++) {
      Task retried = seen.get(attempt).task();
      assertEquals("flaky failure " + (attempt - 1), retried.lastError());
      // The due time written is failure time + backoff: initial × 2^(attempt−1), minus ≤ jitter.
      long delay = Duration.between(retried.failedAt(), retried.runAt()).toMillis();
      long ceiling = backoff.ceiling(attempt);
      assertTrue(
          delay <= ceiling && delay >= Math.floor(ceiling * (1 - jitter)),
          "attempt " + attempt + " waited " + delay + " ms, ceiling " + ceiling);
      // Never run before it was due (only ever later on a busy machine).
      assertFalse(seen.get(attempt).startedAt().isBefore(retried.runAt()), "ran before due");
    }
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> counter("processed:test_flaky") == processedBefore + 1);
    assertTrue(Jobs.deadLettersWith(redis, name).isEmpty());
  }

  @Test
  void aJobOutOfAttemptsIsADeadLetterWithItsLastError() {
    String name = Jobs.name("exhausted");
    Task task = Jobs.task("test_flaky", Map.of("name", name, "fail_times", 99), null);
    Jobs.push(redis, task);

    Map<String, Object> dead = awaitDeadLetter(name);
    assertEquals("attempts_exhausted", dead.get("reason"));
    assertEquals(config.maxAttempts(), dead.get("attempts"));
    assertEquals("flaky failure " + (config.maxAttempts() - 1), dead.get("error"));
    assertEquals(task.id(), dead.get("job_id"));
    assertEquals(config.maxAttempts(), runs.of(name).size());
    assertFalse(String.valueOf(dead.get("error")).contains("at dev.souq"), "a stack trace leaked");
  }

  @Test
  void aJobPushedWithTheLastAttemptThereIsFailsIntoTheDeadLettersNotAnOverflow() {
    String name = Jobs.name("last-attempt");
    Map<String, Object> job =
        Jobs.map(
            Jobs.json(
                Jobs.task("test_flaky", Map.of("name", name, "fail_until_released", true), null)));
    job.put("attempt", Integer.MAX_VALUE);
    Jobs.push(redis, Jobs.json(job));

    Map<String, Object> dead = awaitDeadLetter(name);
    assertEquals("attempts_exhausted", dead.get("reason"));
    assertEquals(Integer.MAX_VALUE, dead.get("attempts"));
    assertEquals(1, runs.of(name).size());
  }

  @Test
  void aPermanentFailureIsADeadLetterAtOnce() {
    String name = Jobs.name("permanent");
    Jobs.push(redis, Jobs.task("test_flaky", Map.of("name", name, "permanent", true), null));

    Map<String, Object> dead = awaitDeadLetter(name);
    assertEquals("permanent_failure", dead.get("reason"));
    assertEquals("card declined for good", dead.get("error"));
    assertEquals(1, dead.get("attempts"));
    assertEquals(1, runs.of(name).size());
  }

  @Test
  void aHandlerPastItsTimeLimitCountsAsFailed() {
    String name = Jobs.name("hang");
    Jobs.push(redis, Jobs.task("test_hang", Map.of("name", name), null));

    Map<String, Object> dead = awaitDeadLetter(name);
    assertEquals("attempts_exhausted", dead.get("reason"));
    assertTrue(String.valueOf(dead.get("error")).startsWith("Timed out"), dead.toString());
    assertEquals(config.maxAttempts(), runs.of(name).size());
  }

  @Test
  void blockingHandlersRunOnWorkerThreads() {
    String name = Jobs.name("blocking");
    Jobs.push(redis, Jobs.task("test_blocking", Map.of("name", name), null));

    await().atMost(Duration.ofSeconds(10)).until(() -> runs.of(name).size() == 1);
    String thread = runs.of(name).get(0).thread();
    assertFalse(thread.contains("eventloop"), "ran on " + thread);
  }

  @Test
  void aDelayedJobWaitsOnTheDelayedSetUntilDue() {
    String name = Jobs.name("delayed");
    Task task = Jobs.task("test_flaky", Map.of("name", name), null);
    java.time.Instant due = Task.dueMillis(java.time.Instant.now().plusSeconds(1));
    redis
        .sortedSet(String.class)
        .zadd(keys.delayed(), due.toEpochMilli(), Jobs.json(task.dueAt(due)));

    await().atMost(Duration.ofSeconds(15)).until(() -> runs.of(name).size() == 1);
    assertFalse(runs.of(name).get(0).startedAt().isBefore(due), "ran before due");
    assertTrue(
        redis.sortedSet(String.class).zrange(keys.delayed(), 0, -1).stream()
            .noneMatch(job -> job.contains(name)),
        "still on the delayed set");
  }

  private Map<String, Object> awaitDeadLetter(String marker) {
    return await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> Jobs.deadLettersWith(redis, marker), list -> list.size() == 1)
        .get(0);
  }

  private long counter(String field) {
    String value = redis.hash(String.class).hget(keys.stats(), field);
    return value == null ? 0 : Long.parseLong(value);
  }
}
