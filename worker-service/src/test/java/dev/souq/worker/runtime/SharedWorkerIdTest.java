package dev.souq.worker.runtime;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.souq.testing.SouqTestResource;
import dev.souq.worker.queue.WorkerIdentity;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.jboss.logmanager.ExtLogRecord;
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
    List<String> errors = new CopyOnWriteArrayList<>();
    Handler capture =
        new Handler() {
          @Override
          public void publish(LogRecord record) {
            if (record.getLevel().intValue() >= Level.SEVERE.intValue()) {
              errors.add(((ExtLogRecord) record).getFormattedMessage());
            }
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    // Registered first: the first beat may replace a predecessor's life without a word.
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> identity.life().equals(redis.string(String.class).get(identity.heartbeat())));
    Logger log = Logger.getLogger(Heartbeat.class.getName());
    log.addHandler(capture);
    try {
      // What the other process's beat writes.
      redis.string(String.class).psetex(identity.heartbeat(), 60_000, "0badf00d");

      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> errors.stream().anyMatch(e -> e.contains("life 0badf00d")));
    } finally {
      log.removeHandler(capture);
    }
    assertTrue(errors.get(0).contains("WORKER_ID must be unique"), errors.get(0));
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> identity.life().equals(redis.string(String.class).get(identity.heartbeat())));
  }
}
