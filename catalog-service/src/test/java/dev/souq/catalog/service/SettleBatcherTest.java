package dev.souq.catalog.service;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The batching of the invalidation rows' DELETE, on its own (the rows and their DELETE against
 * PostgreSQL are StockReservationTest's): one statement at a time, whatever came meanwhile in the
 * next, a failed one not repeated.
 */
class SettleBatcherTest {
  private final Vertx vertx = Vertx.vertx();
  private final List<List<Long>> deletes = new CopyOnWriteArrayList<>();
  private final List<UniEmitter<? super Void>> running = new CopyOnWriteArrayList<>();

  @AfterEach
  void close() {
    vertx.close();
  }

  /** A DELETE that completes when the test says. */
  private Uni<Void> delete(List<Long> ids) {
    deletes.add(List.copyOf(ids));
    return Uni.createFrom().emitter(running::add);
  }

  @Test
  void idsThatArriveWhileOneDeleteRunsGoTogetherInTheNext() {
    SettleBatcher settler =
        new SettleBatcher(vertx, this::delete, Duration.ofMillis(1), Duration.ofSeconds(30));
    settler.settle(List.of(1L, 2L));
    await().atMost(Duration.ofSeconds(10)).until(() -> running.size() == 1);

    settler.settle(List.of(3L));
    settler.settle(List.of(4L, 5L));
    assertEquals(List.of(List.of(1L, 2L)), deletes, "none while the first runs");

    running.get(0).complete(null);
    await().atMost(Duration.ofSeconds(10)).until(() -> running.size() == 2);
    assertEquals(List.of(List.of(1L, 2L), List.of(3L, 4L, 5L)), deletes);
  }

  @Test
  void aFailedDeleteIsLeftToTheRelayAndLaterIdsStillGo() {
    SettleBatcher settler =
        new SettleBatcher(vertx, this::delete, Duration.ofMillis(1), Duration.ofSeconds(30));
    settler.settle(List.of(1L));
    await().atMost(Duration.ofSeconds(10)).until(() -> running.size() == 1);
    running.get(0).fail(new IllegalStateException("PostgreSQL away"));

    settler.settle(List.of(2L));
    await().atMost(Duration.ofSeconds(10)).until(() -> running.size() == 2);
    assertEquals(List.of(List.of(1L), List.of(2L)), deletes);
  }

  @Test
  void aDeleteThatNeverAnswersIsGivenUpAndLaterIdsStillGo() {
    SettleBatcher settler =
        new SettleBatcher(vertx, this::delete, Duration.ofMillis(1), Duration.ofMillis(50));
    settler.settle(List.of(1L));
    await().atMost(Duration.ofSeconds(10)).until(() -> running.size() == 1);

    // The first is never completed: only its timeout lets the next one go.
    settler.settle(List.of(2L));
    await().atMost(Duration.ofSeconds(10)).until(() -> running.size() == 2);
    assertEquals(List.of(List.of(1L), List.of(2L)), deletes);
  }

  @Test
  void aFlushDeletesWhatIsPendingWithoutWaitingForTheTimer() {
    SettleBatcher settler =
        new SettleBatcher(vertx, this::delete, Duration.ofHours(1), Duration.ofSeconds(30));
    settler.settle(List.of(7L, 8L));

    settler.flush().subscribe().with(done -> {});
    assertEquals(List.of(List.of(7L, 8L)), deletes);
  }
}
