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
 * A job runs outside any CDI request context. The worker's loops start from a start-up observer,
 * while Quarkus keeps a request context active; context propagation carried it into the fetch loop,
 * where ArC replaced it, once ended, with one that was never ended, and every job ran in it. The
 * REST client then looked up the inbound HTTP headers of a request that did not exist on each call
 * from a job, and failed with an exception it caught. (A failed fetch restarts the loop from a
 * timer, without that context: on the old code this test failed only while no fetch had failed
 * since start-up, as when it runs alone.)
 */
@QuarkusTest
@WithTestResource(value = SouqTestResource.class, scope = TestResourceScope.GLOBAL)
class JobContextTest {
  @Inject RedisDataSource redis;
  @Inject Runs runs;

  @Test
  void aJobRunsWithoutTheRequestContextOfStartUp() {
    assertRunsWithoutRequestContext("test_flaky");
  }

  @Test
  void aBlockingJobRunsWithoutTheRequestContextOfStartUp() {
    assertRunsWithoutRequestContext("test_blocking");
  }

  private void assertRunsWithoutRequestContext(String type) {
    String name = Jobs.name("context");
    Jobs.push(redis, Jobs.task(type, Map.of("name", name), null));

    Runs.Run run =
        await()
            .atMost(Duration.ofSeconds(20))
            .until(() -> runs.of(name), r -> r.size() == 1)
            .get(0);
    assertFalse(run.inRequestContext(), "a request context was active in the " + type + " job");
  }
}
