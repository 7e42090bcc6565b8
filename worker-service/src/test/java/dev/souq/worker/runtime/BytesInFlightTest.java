package dev.souq.worker.runtime;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.souq.testing.SouqTestResource;
import dev.souq.worker.handler.Runs;
import dev.souq.worker.queue.Jobs;
import dev.souq.worker.queue.TaskKeys;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A flood of large jobs takes no more of the heap than {@code worker.max-bytes-in-flight} (2 MiB in
 * tests, 16 MiB by default) and one job: the rest waits in the queue, however many slots are free.
 */
@QuarkusTest
@WithTestResource(value = SouqTestResource.class, scope = TestResourceScope.GLOBAL)
class BytesInFlightTest {
  private static final int JOBS = 10;

  @Inject Runs runs;
  @Inject RedisDataSource redis;
  @Inject TaskKeys keys;

  @Test
  void largeJobsWaitInTheQueueOnceTheirBytesFillTheBudget() {
    floodOfLargeJobs();
  }

  @Test
  void soDoTheyWhenJobsWereHandedBackAndTheFetchLooksAtEachOne() {
    // While tasks:deliveries exists, fetch.lua takes job by job and looks each one up.
    String field = Jobs.name("bytes-in-flight");
    redis.hash(String.class).hset(keys.deliveries(), field, "0");
    try {
      floodOfLargeJobs();
    } finally {
      redis.hash(String.class).hdel(keys.deliveries(), field);
    }
  }

  private void floodOfLargeJobs() {
    String name = Jobs.name("large");
    // ~300,100 bytes each: 6 fit the budget, a 7th is the one a fetch always takes, the other 3
    // wait although 64 slots are free.
    String job =
        Jobs.json(Jobs.task("test_gated", Map.of("name", name, "pad", "x".repeat(300_000)), null));
    try {
      for (int i = 0; i < JOBS; i++) {
        Jobs.push(redis, job);
      }
      await().atMost(Duration.ofSeconds(30)).until(() -> runs.of(name).size() >= 7);
      assertEquals(3, queued(name), "jobs left in the queue");
      assertEquals(7, runs.of(name).size(), "jobs running");
    } finally {
      // Whatever happened, none of them is left holding the budget for the tests after this one.
      runs.release(name);
    }
    await().atMost(Duration.ofSeconds(30)).until(() -> runs.of(name).size() == JOBS);
    await().atMost(Duration.ofSeconds(30)).until(() -> queued(name) == 0);
  }

  private long queued(String marker) {
    return redis.list(String.class).lrange(TaskKeys.QUEUE, 0, -1).stream()
        .filter(j -> j.contains(marker))
        .count();
  }
}
