package dev.souq.worker.runtime;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.souq.testing.SouqTestResource;
import dev.souq.worker.config.WorkerConfig;
import dev.souq.worker.handler.HandlerRegistry;
import dev.souq.worker.handler.Runs;
import dev.souq.worker.queue.Digests;
import dev.souq.worker.queue.Jobs;
import dev.souq.worker.queue.TaskKeys;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Jobs the reaper hands back from workers that died: counted per job, run again while under
 * worker.max-deliveries, then a crashed_worker dead letter. (The packaged-app version, with a job
 * that really halts its JVM, is PoisonJobIT.)
 */
@QuarkusTest
@WithTestResource(value = SouqTestResource.class, scope = TestResourceScope.GLOBAL)
class RedeliveryTest {
  @Inject RedisDataSource redis;
  @Inject TaskKeys keys;
  @Inject Runs runs;
  @Inject WorkerConfig config;
  @Inject HandlerRegistry handlers;

  @Test
  void aJobHandedBackFromADeadWorkerRunsAgainAndItsCountIsForgotten() {
    String name = Jobs.name("handed-back");
    String job = Jobs.json(Jobs.task("test_flaky", Map.of("name", name), null));
    deadWorkerHolding(job);

    await().atMost(Duration.ofSeconds(20)).until(() -> runs.of(name).size() == 1);
    await().atMost(Duration.ofSeconds(10)).until(() -> count(job) == null);
    assertTrue(Jobs.deadLettersWith(redis, name).isEmpty());
  }

  @Test
  void aJobWhoseWorkersDiedMaxDeliveriesTimesIsACrashedWorkerDeadLetterWithoutARun() {
    String name = Jobs.name("poison");
    String job = Jobs.json(Jobs.task("test_flaky", Map.of("name", name), null));
    // Handed back max-deliveries − 1 times already; the reaper's next hand-back is the last.
    redis
        .hash(String.class)
        .hset(keys.deliveries(), sha1(job), Integer.toString(config.maxDeliveries() - 1));
    String ghost = deadWorkerHolding(job);

    Map<String, Object> letter =
        await()
            .atMost(Duration.ofSeconds(20))
            .until(() -> Jobs.deadLettersWith(redis, name), l -> l.size() == 1)
            .get(0);
    assertEquals("crashed_worker", letter.get("reason"));
    assertEquals(config.maxDeliveries(), letter.get("attempts"));
    assertTrue(
        ((String) letter.get("error")).contains("died " + config.maxDeliveries() + " times"));
    assertEquals(0, runs.of(name).size(), "ran once more");
    assertNull(count(job), "its delivery count outlived it");
    assertEquals(0L, redis.list(String.class).llen(keys.processing(ghost)));
    assertTrue(
        redis.list(String.class).lrange(TaskKeys.QUEUE, 0, -1).stream()
            .noneMatch(j -> j.contains(name)));
  }

  @Test
  void copiesOfOneJobHandedBackTogetherCountAsOneDelivery() {
    String name = Jobs.name("twins");
    String job = Jobs.json(Jobs.task("test_flaky", Map.of("name", name), null));
    // One hand-back short of the limit: counted once per crash, both copies still run.
    redis
        .hash(String.class)
        .hset(keys.deliveries(), sha1(job), Integer.toString(config.maxDeliveries() - 2));
    String ghost = deadWorkerHolding(job);
    redis.list(String.class).lpush(keys.processing(ghost), job);

    await().atMost(Duration.ofSeconds(20)).until(() -> runs.of(name).size() == 2);
    assertTrue(Jobs.deadLettersWith(redis, name).isEmpty(), "buried as crashed_worker");
  }

  @Test
  void theHaltHandlerExistsOnlyWhenTheCrashTestsAskForIt() {
    assertEquals(false, config.testHandlers());
    assertNull(handlers.find("test_halt"));
  }

  /** A worker that registered, took {@code job} and died: no heartbeat. */
  private String deadWorkerHolding(String job) {
    String ghost = Jobs.name("dead");
    redis.list(String.class).lpush(keys.processing(ghost), job);
    redis.set(String.class).sadd(keys.workers(), ghost);
    return ghost;
  }

  private String count(String job) {
    return redis.hash(String.class).hget(keys.deliveries(), sha1(job));
  }

  private static String sha1(String job) {
    return Digests.sha1(job.getBytes(StandardCharsets.UTF_8));
  }
}
