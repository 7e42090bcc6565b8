package dev.souq.shared.persistence;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.PoolOptions;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A statement whose connection cannot be had (nothing listens on the port: refused at once) fails
 * once, and nothing reaches Vert.x's handler of uncaught exceptions when the acquire timeout
 * passes. No PostgreSQL is needed: the failure is the pool's, before any server answers.
 */
class PooledQueryTest {
  private static final long ACQUIRE_TIMEOUT_MS = 100;

  private final Queue<Throwable> uncaught = new ConcurrentLinkedQueue<>();
  private Vertx vertx;
  private Pool pool;

  @BeforeEach
  @SuppressWarnings("deprecation") // PgBuilder is the newer way; Quarkus 3.33 itself uses PgPool
  void poolToAPortNobodyListensOn() throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    vertx = Vertx.vertx();
    vertx.exceptionHandler(uncaught::add);
    PgConnectOptions connect =
        new PgConnectOptions().setHost("127.0.0.1").setPort(port).setUser("nobody");
    PoolOptions options =
        new PoolOptions()
            .setMaxSize(1)
            .setConnectionTimeout((int) ACQUIRE_TIMEOUT_MS)
            .setConnectionTimeoutUnit(TimeUnit.MILLISECONDS);
    pool = Pool.newInstance(io.vertx.pgclient.PgPool.pool(vertx, connect, options));
  }

  @AfterEach
  void close() {
    pool.closeAndAwait();
    vertx.close().toCompletionStage().toCompletableFuture().join();
  }

  @Test
  void aStatementWithoutAConnectionFailsOnceAndLeavesNothingBehind() {
    fails(PooledQuery.execute(pool, "SELECT $1::int", Tuple.of(1)));
    fails(PooledQuery.execute(pool, "SELECT 1"));
    await()
        .during(Duration.ofMillis(5 * ACQUIRE_TIMEOUT_MS))
        .atMost(Duration.ofSeconds(2))
        .until(uncaught::isEmpty);
  }

  /**
   * What {@link PooledQuery} is for: the pool's own query reports its failure a second time, to
   * Vert.x, once the timer fires. When this fails, Vert.x is fixed and PooledQuery can go.
   */
  @Test
  void thePoolsOwnQueryFailsAgainWhenItsTimerFires() {
    fails(pool.preparedQuery("SELECT $1::int").execute(Tuple.of(1)));
    await().atMost(Duration.ofSeconds(2)).until(() -> !uncaught.isEmpty());
    Throwable second = uncaught.peek();
    assertEquals(IllegalStateException.class, second.getClass());
    assertEquals("Result is already complete", second.getMessage());
  }

  private static void fails(Uni<RowSet<Row>> statement) {
    assertThrows(
        Exception.class, () -> statement.await().atMost(Duration.ofSeconds(5)), "no connection");
  }
}
