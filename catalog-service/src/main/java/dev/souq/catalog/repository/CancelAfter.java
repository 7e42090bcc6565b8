package dev.souq.catalog.repository;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.PgConnection;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.pgclient.PgException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * One statement that PostgreSQL is asked to cancel (a cancel request, as psql's ^C) once a budget
 * has passed since it asked the pool for a connection. lock_timeout bounds each wait for a lock,
 * not a statement's waits together: a statement queued behind another waiter on a row waits for
 * that waiter's tuple lock, then for the holder, and again for each row it locks.
 */
final class CancelAfter {
  private static final int RUNNING = 0;
  private static final int CANCELLING = 1;
  private static final int DONE = 2;

  /** The least a statement is given once it has a connection, however long it waited for one. */
  private static final long LEAST_MS = 100;

  private CancelAfter() {}

  /**
   * What {@code statement} answers on a connection of {@code pool}; {@link CancelledException} if
   * PostgreSQL cancelled it at the budget. The connection goes back to the pool only once a cancel
   * request sent is done: one arriving later could cancel the next statement on it.
   */
  static <T> Uni<T> run(
      Vertx vertx, Pool pool, Duration budget, Function<SqlConnection, Uni<T>> statement) {
    return Uni.createFrom()
        .deferred(
            () -> {
              long deadline = System.nanoTime() + budget.toNanos();
              return pool.withConnection(
                  connection -> {
                    long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                    return bounded(vertx, connection, Math.max(LEAST_MS, left), statement);
                  });
            });
  }

  private static <T> Uni<T> bounded(
      Vertx vertx,
      SqlConnection connection,
      long millis,
      Function<SqlConnection, Uni<T>> statement) {
    // The timer and the statement's end may run on different threads: whichever comes first wins.
    AtomicInteger state = new AtomicInteger(RUNNING);
    CompletableFuture<Void> cancelDone = new CompletableFuture<>();
    long timer =
        vertx.setTimer(
            millis,
            id -> {
              if (state.compareAndSet(RUNNING, CANCELLING)) {
                PgConnection.cast(connection)
                    .cancelRequest()
                    .subscribe()
                    .with(ok -> cancelDone.complete(null), failed -> cancelDone.complete(null));
              }
            });
    return statement
        .apply(connection)
        .onTermination()
        .call(
            () -> {
              if (state.compareAndSet(RUNNING, DONE)) {
                vertx.cancelTimer(timer);
                return Uni.createFrom().voidItem();
              }
              return Uni.createFrom().completionStage(cancelDone);
            })
        .onFailure(failure -> state.get() == CANCELLING && cancelled(failure))
        .transform(failure -> new CancelledException((PgException) failure));
  }

  /** SQLSTATE 57014: a cancel request or a statement_timeout ended the statement. */
  private static boolean cancelled(Throwable failure) {
    return failure instanceof PgException pg && "57014".equals(pg.getSqlState());
  }

  /** The statement ran past its budget and PostgreSQL cancelled it: nothing it did was kept. */
  static final class CancelledException extends RuntimeException {
    private final transient PgException cancel;

    CancelledException(PgException cancel) {
      super("Cancelled past its budget", cancel);
      this.cancel = cancel;
    }

    /** PostgreSQL's context of the cancel: where in a function the statement was. */
    String where() {
      return cancel.getWhere() == null ? "" : cancel.getWhere();
    }
  }
}
