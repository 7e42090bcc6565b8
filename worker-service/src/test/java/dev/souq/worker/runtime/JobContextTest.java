package dev.souq.worker.runtime;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.souq.testing.SouqTestResource;
import dev.souq.worker.handler.Runs;
import dev.souq.worker.queue.Jobs;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A job runs outside any CDI request context. Quarkus keeps one active while start-up observers
 * run; the worker's loops, started from one, used to carry it into every job they ran (context
 * propagation), where the REST client then looked up the inbound HTTP headers of a request that did
 * not exist on each call to order-service, and failed with an exception it caught.
 */
@QuarkusTest
@WithTestResource(value = SouqTestResource.class, scope = TestResourceScope.GLOBAL)
class JobContextTest {
  @Inject RedisDataSource redis;
  @Inject Runs runs;

  @Test
  void aJobRunsWithoutTheRequestContextOfStartUp() {
    String name = Jobs.name("context");
    Jobs.push(redis, Jobs.task("test_flaky", Map.of("name", name), null));

    Runs.Run run =
        await()
            .atMost(Duration.ofSeconds(20))
            .until(() -> runs.of(name), r -> r.size() == 1)
            .get(0);
    assertFalse(run.inRequestContext(), "a request context was active in the job");
  }
}
