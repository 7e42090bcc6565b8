package dev.souq.worker.queue;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.souq.testing.SouqTestResource;
import dev.souq.worker.handler.Runs;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The worker with hash-tagged keys (for Redis Cluster) retries and buries like the default. */
@QuarkusTest
@TestProfile(ClusterKeysTest.ClusterKeys.class)
@WithTestResource(value = SouqTestResource.class, scope = TestResourceScope.GLOBAL)
class ClusterKeysTest {
  public static class ClusterKeys implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("worker.cluster-keys", "true");
    }
  }

  @Inject RedisDataSource redis;
  @Inject Runs runs;
  @Inject TaskKeys keys;

  @Test
  void retriesAndDeadLettersLiveUnderTheHashTag() {
    assertEquals("{tasks}:dead", keys.dead());
    assertEquals("{tasks}:deliveries", keys.deliveries());
    String flaky = Jobs.name("cluster-flaky");
    String doomed = Jobs.name("cluster-doomed");
    Jobs.push(redis, Jobs.task("test_flaky", Map.of("name", flaky, "fail_times", 1), null));
    Jobs.push(redis, Jobs.task("test_flaky", Map.of("name", doomed, "permanent", true), null));

    await().atMost(Duration.ofSeconds(20)).until(() -> runs.of(flaky).size() == 2);
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> Jobs.deadLettersWith(redis, doomed).size() == 1);
    assertTrue(
        redis.list(String.class).lrange("tasks:dead", 0, -1).stream()
            .noneMatch(e -> e.contains(doomed)));
    assertTrue(redis.set(String.class).smembers("{tasks}:workers").size() >= 1);
  }
}
