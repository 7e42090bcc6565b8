package dev.souq.order.messaging;

import static dev.souq.order.OrderUpdates.statuses;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.souq.order.OrderUpdates;
import dev.souq.order.Shopper;
import dev.souq.testing.CatalogTestResource;
import dev.souq.testing.ProxyControl;
import dev.souq.testing.SouqTestResource;
import dev.souq.testing.TestStack;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A Redis that stops answering, as behind a lost route (connections held open, never answered),
 * does not hold the relay's transaction open, and with it the lock every replica's relay needs, for
 * as long as it lasts: the send gives up, the batch rolls back and stays in the outbox, and it goes
 * once Redis answers again. In {@link KickedRelay}, so no poll starts a batch behind the test's
 * back.
 */
@QuarkusTest
@TestProfile(KickedRelay.class)
@WithTestResource(value = SouqTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = CatalogTestResource.class, scope = TestResourceScope.GLOBAL)
class StalledRedisTest {
  /** When the transaction holding the relay's advisory lock began, if one holds it. */
  private static final String LOCK_HOLDER =
      """
      SELECT a.xact_start FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
      WHERE l.locktype = 'advisory' AND l.granted
        AND l.classid::bigint = $1 AND l.objid::bigint = $2
      """;

  @Inject OutboxRelay relay;
  @Inject Pool pool;

  @Test
  void aSendRedisNeverAnswersRollsBackFreesTheLockAndGoesOnceRedisIsBack() throws Exception {
    long order = Shopper.start().placeOrder(4, 1);
    OrderUpdates.awaitOutboxDrained();
    ProxyControl proxy = TestStack.get().redisProxy();
    proxy.stall();
    try {
      // Its commit wakes the relay, whose batch then waits on a Redis that never answers.
      Shopper.changeStatus(order, "PAID").then().statusCode(200);
      OffsetDateTime stalled =
          await()
              .atMost(Duration.ofSeconds(10))
              .until(this::lockHolderStart, Optional::isPresent)
              .get();
      // Without a bound on the send, that transaction would hold the lock until the route is back.
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> lockHolderStart().filter(stalled::equals).isEmpty());
      assertEquals(1, OrderUpdates.outboxRows(), "the change waits in the outbox");
    } finally {
      proxy.restore();
    }
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> {
              relay.kick();
              return OrderUpdates.outboxRows() == 0;
            });
    assertEquals(List.of("PENDING", "PAID"), statuses(OrderUpdates.streamed(order)));
  }

  private Optional<OffsetDateTime> lockHolderStart() {
    Tuple key = Tuple.of(OutboxRelay.LOCK >>> 32, OutboxRelay.LOCK & 0xffff_ffffL);
    var rows = pool.preparedQuery(LOCK_HOLDER).execute(key).await().atMost(Duration.ofSeconds(5));
    return rows.size() == 0
        ? Optional.empty()
        : Optional.of(rows.iterator().next()).map((Row r) -> r.getOffsetDateTime(0));
  }
}
