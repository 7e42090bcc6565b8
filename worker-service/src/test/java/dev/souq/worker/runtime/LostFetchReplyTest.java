package dev.souq.worker.runtime;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.souq.testing.ProxyControl;
import dev.souq.testing.RedisCommand;
import dev.souq.testing.SouqTestResource;
import dev.souq.testing.TestStack;
import dev.souq.worker.handler.Runs;
import dev.souq.worker.queue.Jobs;
import dev.souq.worker.queue.WorkerIdentity;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A fetch whose answer is lost after Redis moved its jobs leaves them in this (live) worker's
 * processing list, where no reaper looks while its heartbeat lasts: the worker must find and run
 * them itself.
 */
@QuarkusTest
@WithTestResource(value = SouqTestResource.class, scope = TestResourceScope.GLOBAL)
class LostFetchReplyTest {
  @Inject WorkerIdentity identity;
  @Inject Fetcher fetcher;
  @Inject Runs runs;
  @Inject RedisDataSource redis;

  @Test
  void aJobAFetchTookWhoseAnswerWasLostStillRuns() {
    String name = Jobs.name("stranded");
    strandInTheWorkersList(Jobs.json(Jobs.task("test_flaky", Map.of("name", name), null)));

    await().atMost(Duration.ofSeconds(30)).until(() -> runs.of(name).size() == 1);
    await().atMost(Duration.ofSeconds(10)).until(() -> processing() == 0L && !fetcher.unsure());
    assertEquals(1, runs.of(name).size(), "ran more than once");
  }

  @Test
  void aJobInFlightWhenTheFetchFailedIsNotTakenForAStrandedOne() {
    String running = Jobs.name("gated");
    Jobs.push(redis, Jobs.json(Jobs.task("test_gated", Map.of("name", running), null)));
    await().atMost(Duration.ofSeconds(10)).until(() -> runs.of(running).size() == 1);
    String name = Jobs.name("stranded");
    strandInTheWorkersList(Jobs.json(Jobs.task("test_flaky", Map.of("name", name), null)));

    // Both are in the list now; only the one nobody runs may run (again: the other still runs).
    assertEquals(2L, processing());
    runs.release(running);
    await().atMost(Duration.ofSeconds(30)).until(() -> runs.of(name).size() == 1);
    await().atMost(Duration.ofSeconds(10)).until(() -> processing() == 0L && !fetcher.unsure());
    assertEquals(1, runs.of(running).size(), "the job in flight ran twice");
    assertEquals(1, runs.of(name).size(), "the stranded job ran more than once");
  }

  /**
   * Makes the worker's fetch fail (its connection dropped), and does straight in Redis what such a
   * fetch may have done before its answer was lost: moved {@code job} to the worker's list.
   */
  private void strandInTheWorkersList(String job) {
    ProxyControl proxy = TestStack.get().redisProxy();
    proxy.cut();
    try {
      await().atMost(Duration.ofSeconds(10)).until(fetcher::unsure);
      RedisCommand.call(TestStack.get().redisUrl(), "LPUSH", identity.processing(), job);
    } finally {
      proxy.restore();
    }
  }

  private Long processing() {
    return (Long) RedisCommand.call(TestStack.get().redisUrl(), "LLEN", identity.processing());
  }
}
