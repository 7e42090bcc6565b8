package dev.souq.order.messaging;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.souq.order.OrderUpdates;
import dev.souq.order.Shopper;
import dev.souq.testing.CatalogTestResource;
import dev.souq.testing.SouqTestResource;
import dev.souq.testing.Tokens;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.vertx.mutiny.pgclient.PgConnection;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * With the poll at an hour ({@link KickedRelay}), only wake-ups send: this replica's own commits,
 * the rows another replica hands over, and the listener's reconnect. A commit that meets another
 * replica's batch (the relay's lock taken) is handed over to that replica.
 */
@QuarkusTest
@TestProfile(KickedRelay.class)
@WithTestResource(value = SouqTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = CatalogTestResource.class, scope = TestResourceScope.GLOBAL)
class OutboxWakeupTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  @Inject Pool pool;
  @Inject OutboxRelay relay;
  @Inject OutboxWakeup wakeup;

  /**
   * Nothing is left for a run that was not the test's to send a test's row: the start-up's run
   * (when the listener first subscribed) and every batch before are over, the outbox empty.
   */
  @BeforeEach
  void settled() {
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> wakeup.subscriptions() > 0 && relay.idle() && OrderUpdates.outboxRows() == 0);
  }

  @Test
  void anOrderAStatusChangeAndAJobsFateAreSentWithoutWaitingForThePoll() {
    long order = Shopper.start().placeOrder(3, 1);
    awaitSent(order, "PENDING");
    Shopper.changeStatus(order, "PAID").then().statusCode(200);
    awaitSent(order, "PENDING", "PAID");
    given()
        .contentType(ContentType.JSON)
        .header("Authorization", Tokens.SERVICE_BEARER)
        .body(Map.of("type", "process_payment", "outcome", "failed", "attempt", 1, "error", "x"))
        .post("/api/orders/" + order + "/jobs")
        .then()
        .statusCode(204);
    awaitSent(order, "PENDING", "PAID", "PAID");
  }

  /** Waits until the order's updates so far are in the stream and the relay has stopped. */
  private void awaitSent(long order, String... statuses) {
    await()
        .atMost(WAIT)
        .until(
            () ->
                OrderUpdates.statuses(OrderUpdates.streamed(order)).equals(List.of(statuses))
                    && relay.idle());
  }

  @Test
  void aCommitThatMeetsAnotherReplicasBatchIsHandedOverToIt() throws Exception {
    long order = Shopper.start().placeOrder(3, 1);
    OrderUpdates.awaitOutboxDrained();
    // This test plays the other replica: one connection listens, one holds the lock as a batch
    // does (a session in a transaction hears nothing until it ends).
    List<String> heard = new CopyOnWriteArrayList<>();
    SqlConnection listener = pool.getConnection().await().atMost(WAIT);
    try {
      PgConnection.cast(listener).notificationHandler(n -> heard.add(n.getPayload()));
      listener.query("LISTEN " + OutboxWakeup.CHANNEL).execute().await().atMost(WAIT);
      SqlConnection batch = pool.getConnection().await().atMost(WAIT);
      try {
        batch.query("BEGIN").execute().await().atMost(WAIT);
        batch
            .preparedQuery("SELECT pg_advisory_xact_lock($1)")
            .execute(Tuple.of(OutboxRelay.LOCK))
            .await()
            .atMost(WAIT);

        Shopper.changeStatus(order, "PAID").then().statusCode(200);

        await().atMost(WAIT).until(() -> heard.contains(relay.id()));
        assertEquals(List.of(relay.id()), heard, "one hand-over, named by this replica's relay");
        assertEquals(1, OrderUpdates.outboxRows(), "the change is left to the replica sending");
        assertEquals(List.of("PENDING"), OrderUpdates.statuses(OrderUpdates.streamed(order)));
      } finally {
        try {
          batch.query("ROLLBACK").execute().await().atMost(WAIT); // and the lock with it
        } finally {
          batch.close().await().atMost(WAIT);
        }
      }
    } finally {
      // Back in the pool, it must not listen on.
      listener.query("UNLISTEN *").execute().await().atMost(WAIT);
      listener.close().await().atMost(WAIT);
    }
    relay.kick(); // what the other replica does when it hears the hand-over
    await()
        .atMost(WAIT)
        .until(
            () ->
                OrderUpdates.statuses(OrderUpdates.streamed(order))
                    .equals(List.of("PENDING", "PAID")));
  }

  @Test
  void rowsAnotherReplicaHandsOverAreSentWithoutWaitingForThePoll() {
    long order = commitElsewhere();
    pool.preparedQuery("SELECT pg_notify($1, $2)")
        .execute(Tuple.of(OutboxWakeup.CHANNEL, "another-replica"))
        .await()
        .atMost(WAIT);
    await().atMost(WAIT).until(() -> !OrderUpdates.streamed(order).isEmpty());
  }

  @Test
  void whatTheOutboxHoldsWhenTheListenerReconnectsIsSent() throws Exception {
    // Left there as a hand-over heard by no one would leave it: only the reconnect can send it.
    long order = commitElsewhere();
    assertEquals(1, OrderUpdates.outboxRows());
    long subscribed = wakeup.subscriptions();
    long terminated =
        pool.query(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                    + " WHERE query ILIKE 'LISTEN%"
                    + OutboxWakeup.CHANNEL
                    + "%'")
            .execute()
            .await()
            .atMost(WAIT)
            .iterator()
            .next()
            .getLong(0);
    assertTrue(terminated >= 1, "the relay's listening connection was found and cut");
    await().atMost(WAIT).until(() -> !OrderUpdates.streamed(order).isEmpty());
    assertTrue(wakeup.subscriptions() > subscribed, "the listener subscribed again");
  }

  @Test
  void aQuietListeningConnectionIsNotTakenForASilentOne() {
    // Nothing is handed over meanwhile: only the listener's own heartbeat is heard on it, for twice
    // the bound on silence (10 s) after which a connection that hears nothing is closed and
    // reopened.
    long subscribed = wakeup.subscriptions();
    await()
        .during(Duration.ofSeconds(20))
        .atMost(Duration.ofSeconds(25))
        .until(() -> wakeup.subscriptions() == subscribed);
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
        .atMost(WAIT);
    return order;
  }
}
