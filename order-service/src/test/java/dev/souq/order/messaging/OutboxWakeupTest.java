package dev.souq.order.messaging;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.souq.shared.messages.OrderUpdate;
import dev.souq.testing.SouqTestResource;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.stream.StreamRange;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/**
 * A commit to the outbox that this instance's code did not make (another replica's) is relayed
 * without waiting for the poll, which this profile ({@link KickedRelay}) sets to an hour: only the
 * wake-up can send it.
 */
@QuarkusTest
@TestProfile(KickedRelay.class)
@WithTestResource(value = SouqTestResource.class, scope = TestResourceScope.GLOBAL)
class OutboxWakeupTest {
  @Inject Pool pool;
  @Inject RedisDataSource redis;

  @Test
  void aCommitMadeByAnotherReplicaIsRelayedWithoutWaitingForThePoll() {
    long order = commitElsewhere();
    await().atMost(Duration.ofSeconds(10)).until(() -> streamed(order));
  }

  @Test
  void aWakeUpMissedWhileTheListenerWasDisconnectedIsMadeUpOnReconnect() {
    long terminated =
        pool.query(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                    + " WHERE query ILIKE 'LISTEN%"
                    + OutboxWakeup.CHANNEL
                    + "%'")
            .execute()
            .await()
            .indefinitely()
            .iterator()
            .next()
            .getLong(0);
    assertTrue(terminated >= 1, "the relay's listening connection was found and cut");
    long order = commitElsewhere();
    await().atMost(Duration.ofSeconds(10)).until(() -> streamed(order));
  }

  /** Writes an order update straight into the outbox, as another replica's transaction would. */
  private long commitElsewhere() {
    long order = 900_000_000L + ThreadLocalRandom.current().nextInt(1_000_000);
    String json =
        "{\"order_id\":%d,\"status\":\"PAID\",\"timestamp\":\"2026-11-30T00:00:00Z\",\"user_id\":\"u_wakeup\",\"event_id\":\"%s\"}"
            .formatted(order, UUID.randomUUID());
    pool.preparedQuery("INSERT INTO orders.outbox (kind, payload) VALUES ('ORDER_UPDATE', $1)")
        .execute(Tuple.of(json))
        .await()
        .indefinitely();
    return order;
  }

  private boolean streamed(long order) {
    return redis.stream(String.class).xrange(OrderUpdate.STREAM, StreamRange.of("-", "+")).stream()
        .anyMatch(m -> m.payload().get("data").contains("\"order_id\":" + order + ","));
  }
}
