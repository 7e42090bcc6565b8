package dev.souq.worker.runtime;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.souq.shared.messages.Task;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The path to Redis dies without a reset while the worker waits on it (its blocking pop, its acks):
 * nothing ever comes back on those connections, and only the client's bound on silence (10 s) ends
 * what waits there. The worker must go on with new connections, not wait for ever.
 */
@QuarkusTest
@WithTestResource(value = SouqTestResource.class, scope = TestResourceScope.GLOBAL)
class SilentRedisTest {
  @Inject WorkerIdentity identity;
  @Inject Runs runs;
  @Inject RedisDataSource redis;

  @Test
  void aWorkerWhoseRedisConnectionsWentSilentGoesOnWithNewOnes() {
    String before = Jobs.name("before-silence");
    Jobs.push(redis, Jobs.json(Jobs.task("test_flaky", Map.of("name", before), null)));
    await().atMost(Duration.ofSeconds(10)).until(() -> runs.of(before).size() == 1);
    ProxyControl proxy = TestStack.get().redisProxy();
    proxy.strand();
    try {
      // Pushed behind the worker's back, on the real Redis: only a worker that gave up on its
      // silent connections fetches them.
      List<String> after = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        String name = Jobs.name("after-silence");
        after.add(name);
        RedisCommand.call(
            TestStack.get().redisUrl(),
            "LPUSH",
            Task.QUEUE,
            Jobs.json(Jobs.task("test_flaky", Map.of("name", name), null)));
      }
      await()
          .atMost(Duration.ofSeconds(40))
          .until(() -> after.stream().allMatch(name -> !runs.of(name).isEmpty()));
      await().atMost(Duration.ofSeconds(20)).until(() -> processing() == 0L);
      after.forEach(name -> assertEquals(1, runs.of(name).size(), name + " ran more than once"));
      await().atMost(Duration.ofSeconds(30)).until(() -> proxy.strandedConnections() == 0);
    } finally {
      proxy.restore();
    }
  }

  private Long processing() {
    return (Long) RedisCommand.call(TestStack.get().redisUrl(), "LLEN", identity.processing());
  }
}
