package dev.souq.worker.runtime;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.souq.testing.CapturedLog;
import dev.souq.testing.SouqTestResource;
import dev.souq.worker.queue.WorkerIdentity;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Two live processes under one WORKER_ID would each take the other's claims for a dead worker's:
 * the one that finds another life in its heartbeat says so at ERROR, and beats on.
 */
@QuarkusTest
@WithTestResource(value = SouqTestResource.class, scope = TestResourceScope.GLOBAL)
class SharedWorkerIdTest {
  @Inject WorkerIdentity identity;
  @Inject RedisDataSource redis;

  @Test
  void anotherLifeInTheHeartbeatIsLoggedAsAnError() {
    // Registered first: the first beat may replace a predecessor's life without a word.
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> identity.life().equals(redis.string(String.class).get(identity.heartbeat())));
    List<String> errors;
    try (CapturedLog log = CapturedLog.errors(Heartbeat.class.getName())) {
      // What the other process's beat writes.
      redis.string(String.class).psetex(identity.heartbeat(), 60_000, "0badf00d");

      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> log.messages().stream().anyMatch(e -> e.contains("life 0badf00d")));
      errors = log.messages();
    }
    assertTrue(errors.get(0).contains("WORKER_ID must be unique"), errors.get(0));
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> identity.life().equals(redis.string(String.class).get(identity.heartbeat())));
  }
}
