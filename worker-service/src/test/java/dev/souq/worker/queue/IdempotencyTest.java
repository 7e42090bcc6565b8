package dev.souq.worker.queue;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.souq.shared.messages.Task;
import dev.souq.testing.Management;
import dev.souq.testing.SouqTestResource;
import dev.souq.worker.handler.Runs;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(value = SouqTestResource.class, scope = TestResourceScope.GLOBAL)
class IdempotencyTest {
  @Inject RedisDataSource redis;
  @Inject TaskKeys keys;
  @Inject Runs runs;

  @Test
  void aKeyEnqueuedTwiceRunsOnce() {
    String name = Jobs.name("twice");
    String key = Jobs.name("key");
    long duplicates = counter("duplicates");
    Jobs.push(redis, Jobs.task("test_flaky", Map.of("name", name), key));
    Jobs.push(redis, Jobs.task("test_flaky", Map.of("name", name), key));

    await().atMost(Duration.ofSeconds(20)).until(() -> counter("duplicates") > duplicates);
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                redis.string(String.class).get(keys.idempotency(key)) != null
                    && redis.string(String.class).get(keys.idempotency(key)).startsWith("done:"));
    assertEquals(1, runs.of(name).size());
  }

  @Test
  void aJobRedeliveredAfterItsHandlerFinishedDoesNotRunAgain() {
    // A worker ran the job and marked its key done, then died before removing it from its
    // processing list: the reaper hands it to a live worker, which must drop it.
    String name = Jobs.name("redelivered");
    String key = Jobs.name("key");
    Task task = Jobs.task("test_flaky", Map.of("name", name), key);
    redis.string(String.class).setex(keys.idempotency(key), 3600, "done:" + task.id());
    String ghost = deadWorkerHolding(Jobs.json(task));

    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> !redis.set(String.class).sismember(keys.workers(), ghost));
    await().atMost(Duration.ofSeconds(20)).until(() -> queueAndProcessingHaveNo(name));
    assertEquals(0, runs.of(name).size());
  }

  @Test
  void aJobWhoseWorkerDiedMidRunRunsAgain() {
    String name = Jobs.name("mid-run");
    String key = Jobs.name("key");
    Task task = Jobs.task("test_flaky", Map.of("name", name), key);
    String ghost = Jobs.name("dead");
    // Its key still claimed by the dead worker's run (run@<worker>#<life>.<n>), for longer than
    // the test waits.
    redis.string(String.class).setex(keys.idempotency(key), 3600, "run@" + ghost + "#0badf00d.7");
    deadWorkerHolding(ghost, Jobs.json(task));

    await().atMost(Duration.ofSeconds(20)).until(() -> runs.of(name).size() == 1);
  }

  @Test
  void anEarlierVersionsClaimIsTakenOverOnceItsWorkerIsDead() {
    // run@<worker>#<n>, from before a claim named its process's life.
    String name = Jobs.name("older");
    String key = Jobs.name("key");
    redis
        .string(String.class)
        .setex(keys.idempotency(key), 3600, "run@" + Jobs.name("gone") + "#7");
    Jobs.push(redis, Jobs.task("test_flaky", Map.of("name", name), key));

    await().atMost(Duration.ofSeconds(20)).until(() -> runs.of(name).size() == 1);
  }

  @Test
  void aClaimOfAKilledProcessIsTakenOverWhileARestartUnderItsIdBeats() {
    // A StatefulSet's pod, killed mid-run and started again under the same WORKER_ID: the id's
    // heartbeat lives again, but with another life than the claim's.
    String name = Jobs.name("restarted");
    String key = Jobs.name("key");
    String worker = Jobs.name("fixed");
    redis.string(String.class).setex(keys.heartbeat(worker), 60, "0c0ffee0");
    redis.string(String.class).setex(keys.idempotency(key), 3600, "run@" + worker + "#0badf00d.7");
    try {
      Jobs.push(redis, Jobs.task("test_flaky", Map.of("name", name), key));

      await().atMost(Duration.ofSeconds(20)).until(() -> runs.of(name).size() == 1);
    } finally {
      redis.key().del(keys.heartbeat(worker));
    }
  }

  @Test
  void twoCopiesOfOneJobNeverRunAtOnce() {
    // An LPUSH resent after its reply was lost: the same bytes twice, the second fetched while the
    // first still runs. It waits, and once the first is done it is a duplicate.
    String name = Jobs.name("copies");
    String job = Jobs.json(Jobs.task("test_gated", Map.of("name", name), Jobs.name("key")));
    long duplicates = counter("duplicates");
    double busy = busy("test_gated");
    Jobs.push(redis, job);
    await().atMost(Duration.ofSeconds(20)).until(() -> runs.of(name).size() == 1);
    Jobs.push(redis, job);
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> busy("test_gated") > busy || runs.of(name).size() > 1);
    assertEquals(1, runs.of(name).size(), "runs while the first still ran");

    runs.release(name);
    await().atMost(Duration.ofSeconds(20)).until(() -> counter("duplicates") > duplicates);
    await().atMost(Duration.ofSeconds(20)).until(() -> queueAndProcessingHaveNo(name));
    assertEquals(1, runs.of(name).size());
  }

  @Test
  void aRunPastItsLimitKeepsItsKeyUntilItEndsAndItsRetryIsThenADuplicate() {
    String name = Jobs.name("late");
    Task task = Jobs.task("test_late", Map.of("name", name), Jobs.name("key"));
    long duplicates = counter("duplicates");
    double busy = busy("test_late");
    Jobs.push(redis, task);
    // Past its 2 s limit it is retried while it still runs: the retry must wait (its claim lasts
    // twice the limit and the heartbeat TTL, 7 s here).
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> busy("test_late") > busy || runs.of(name).size() > 1);
    assertEquals(1, runs.of(name).size(), "runs while the first still ran");

    // It succeeds after all: its key is done, and the retry is dropped as a duplicate.
    runs.release(name);
    await().atMost(Duration.ofSeconds(20)).until(() -> counter("duplicates") > duplicates);
    assertEquals(
        "done:" + task.id(),
        redis.string(String.class).get(keys.idempotency(task.idempotencyKey())));
    await().atMost(Duration.ofSeconds(20)).until(() -> queueAndProcessingHaveNo(name));
    assertEquals(1, runs.of(name).size());
  }

  @Test
  void aLiveWorkersJobsAreLeftAlone() {
    String worker = Jobs.name("alive");
    String job = Jobs.json(Jobs.task("test_flaky", Map.of("name", Jobs.name("held")), null));
    redis.set(String.class).sadd(keys.workers(), worker);
    redis.string(String.class).setex(keys.heartbeat(worker), 60, worker);
    redis.list(String.class).lpush(keys.processing(worker), job);
    try {
      // Sweeps never overlap: once a dead worker added after the first was reaped, a whole sweep
      // has looked at the live worker.
      for (int sweep = 0; sweep < 2; sweep++) {
        String ghost = deadWorkerHolding("{}");
        await()
            .atMost(Duration.ofSeconds(20))
            .until(() -> !redis.set(String.class).sismember(keys.workers(), ghost));
      }
      assertEquals(1L, redis.list(String.class).llen(keys.processing(worker)));
    } finally {
      redis.key().del(keys.processing(worker), keys.heartbeat(worker));
      redis.set(String.class).srem(keys.workers(), worker);
    }
  }

  /** A worker that registered, took {@code job} and died: no heartbeat. */
  private String deadWorkerHolding(String job) {
    return deadWorkerHolding(Jobs.name("dead"), job);
  }

  private String deadWorkerHolding(String ghost, String job) {
    redis.list(String.class).lpush(keys.processing(ghost), job);
    redis.set(String.class).sadd(keys.workers(), ghost);
    return ghost;
  }

  private boolean queueAndProcessingHaveNo(String marker) {
    if (redis.list(String.class).lrange(TaskKeys.QUEUE, 0, -1).stream()
        .anyMatch(j -> j.contains(marker))) {
      return false;
    }
    for (String worker : redis.set(String.class).smembers(keys.workers())) {
      if (redis.list(String.class).lrange(keys.processing(worker), 0, -1).stream()
          .anyMatch(j -> j.contains(marker))) {
        return false;
      }
    }
    return true;
  }

  /** Jobs of {@code type} put off because their key's claim was another delivery's. */
  private static double busy(String type) {
    return Math.max(0, Management.metric("souq_tasks_busy_total{type=\"" + type + "\"}"));
  }

  private long counter(String field) {
    String value = redis.hash(String.class).hget(keys.stats(), field);
    return value == null ? 0 : Long.parseLong(value);
  }
}
