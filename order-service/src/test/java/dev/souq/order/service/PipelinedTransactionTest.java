package dev.souq.order.service;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.souq.shared.persistence.PipelinedTransaction;
import dev.souq.shared.persistence.PipelinedTransaction.Statement;
import dev.souq.testing.SouqTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.Cancellable;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.PgPool;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.PoolOptions;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The pipelined transaction against a real PostgreSQL, on a pool of one connection so every run
 * reuses the connection the run before it left behind: whatever fails, nothing of the transaction
 * is written and the connection comes back outside any transaction.
 */
@QuarkusTest
@WithTestResource(value = SouqTestResource.class, scope = TestResourceScope.GLOBAL)
class PipelinedTransactionTest {
  private static final String INSERT = "INSERT INTO pipelined_probe (id) VALUES ($1)";
  private static final Duration WAIT = Duration.ofSeconds(10);

  @Inject Vertx vertx;

  @ConfigProperty(name = "quarkus.datasource.reactive.url")
  String url;

  @ConfigProperty(name = "quarkus.datasource.username")
  Optional<String> user;

  @ConfigProperty(name = "quarkus.datasource.password")
  Optional<String> password;

  private Pool pool;

  @BeforeEach
  @SuppressWarnings("deprecation") // as OutboxDatabase: Quarkus 3.33 itself uses PgPool
  void onePooledConnection() {
    PgConnectOptions options = PgConnectOptions.fromUri(url);
    user.ifPresent(options::setUser);
    password.ifPresent(options::setPassword);
    pool = PgPool.pool(vertx, options, new PoolOptions().setMaxSize(1));
    pool.query("DROP TABLE IF EXISTS pipelined_probe").execute().await().atMost(WAIT);
    pool.query("CREATE TABLE pipelined_probe (id INT PRIMARY KEY)").execute().await().atMost(WAIT);
  }

  @AfterEach
  void close() {
    pool.query("DROP TABLE pipelined_probe").execute().await().atMost(WAIT);
    pool.close().await().atMost(WAIT);
  }

  @Test
  void whatBeginAndCommitCarryIsWrittenAndAnswered() {
    List<Integer> answered =
        PipelinedTransaction.run(
                pool,
                transaction ->
                    transaction
                        .begin(insert(1), new Statement("SELECT 41 + 1", Tuple.tuple()))
                        .chain(
                            begun ->
                                transaction
                                    .commit(insert(2))
                                    .map(
                                        committed ->
                                            List.of(
                                                begun.size(),
                                                begun.get(1).iterator().next().getInteger(0),
                                                committed.get(0).rowCount()))))
            .await()
            .atMost(WAIT);
    assertEquals(List.of(2, 42, 1), answered);
    assertEquals(List.of(1, 2), written());
    assertOutsideATransaction();
  }

  @Test
  void aStatementFailingBesideTheCommitUndoesTheWholeTransaction() {
    Uni<?> duplicate =
        PipelinedTransaction.run(
            pool,
            transaction ->
                transaction
                    .begin(insert(1))
                    // The second insert breaks the primary key: the COMMIT behind it rolls back.
                    .chain(() -> transaction.commit(insert(2), insert(1))));
    assertThrows(Exception.class, () -> duplicate.await().atMost(WAIT));
    assertEquals(List.of(), written());
    assertOutsideATransaction();
  }

  @Test
  void aFailureBetweenTheRoundTripsRollsBack() {
    Uni<?> failing =
        PipelinedTransaction.run(
            pool,
            transaction ->
                transaction
                    .begin(insert(1))
                    .chain(() -> Uni.createFrom().failure(new IllegalStateException("refused"))));
    assertThrows(IllegalStateException.class, () -> failing.await().atMost(WAIT));
    assertEquals(List.of(), written());
    assertOutsideATransaction();
  }

  @Test
  void aRunItsCallerCancelsStillEndsItsTransactionBeforeTheConnectionIsReused() {
    CompletableFuture<Void> begun = new CompletableFuture<>();
    CompletableFuture<Void> gate = new CompletableFuture<>();
    Cancellable caller =
        PipelinedTransaction.run(
                pool,
                transaction ->
                    transaction
                        .begin(insert(1))
                        .invoke(() -> begun.complete(null))
                        .chain(() -> Uni.createFrom().completionStage(gate))
                        .chain(() -> transaction.commit(insert(2))))
            .subscribe()
            .with(done -> {}, failure -> {});
    await().atMost(WAIT).until(begun::isDone);
    // As Quarkus REST does when the client hangs up between the two round trips.
    caller.cancel();
    gate.complete(null);
    // The client sends BEGIN as plain text and does not know a transaction is open: had the cancel
    // stopped the run, the pool's one connection would be lost or back inside BEGIN, and the reads
    // below would never see both rows committed. Vert.x runs the work of withConnection as a
    // Future, which no cancel reaches; this holds run() to that.
    await().atMost(WAIT).until(() -> written().equals(List.of(1, 2)));
    assertOutsideATransaction();
  }

  private static Statement insert(int id) {
    return new Statement(INSERT, Tuple.of(id));
  }

  private List<Integer> written() {
    return pool.query("SELECT id FROM pipelined_probe ORDER BY id")
        .execute()
        .map(rows -> rows.stream().map(row -> row.getInteger(0)).toList())
        .await()
        .atMost(WAIT);
  }

  /** Inside a transaction now() stays at its start; outside, each statement is its own. */
  private void assertOutsideATransaction() {
    boolean outside =
        pool.query("SELECT now() = statement_timestamp()")
            .execute()
            .map(rows -> rows.iterator().next().getBoolean(0))
            .await()
            .atMost(WAIT);
    assertTrue(outside, "the pool's connection was left inside a transaction");
  }
}
