package dev.souq.catalog.repository;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.PgConnection;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.pgclient.PgException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * One statement on a leased connection that PostgreSQL is asked to cancel (a cancel request, as
 * psql's ^C) once it has run for a budget. lock_timeout bounds each wait for a lock, not a
 * statement's waits together: a statement queued behind another waiter on a row waits for that
 * waiter's tuple lock, then for the holder, and again for each row it locks.
 */
public final class CancelAfter {
  private CancelAfter() {}

  /**
   * What {@code statement} answers on {@code connection}; {@link CancelledException} if it was
   * cancelled at {@code budget}. The connection goes back to the pool only once a cancel request
   * sent is done: one arriving later could cancel the next statement on it.
   */
  static <T> Uni<T> run(
      Vertx vertx,
      SqlConnection connection,
      Duration budget,
      Function<SqlConnection, Uni<T>> statement) {
    return Uni.createFrom()
        .deferred(
            () -> {
              AtomicBoolean sent = new AtomicBoolean();
              CompletableFuture<Void> done = new CompletableFuture<>();
              long timer =
                  vertx.setTimer(
                      budget.toMillis(),
                      id -> {
                        sent.set(true);
                        PgConnection.cast(connection)
                            .cancelRequest()
                            .subscribe()
                            .with(ok -> done.complete(null), failed -> done.complete(null));
                      });
              return statement
                  .apply(connection)
                  .onTermination()
                  .call(
                      () ->
                          vertx.cancelTimer(timer) || !sent.get()
                              ? Uni.createFrom().voidItem()
                              : Uni.createFrom().completionStage(done))
                  .onFailure(failure -> sent.get() && cancelled(failure))
                  .transform(CancelledException::new);
            });
  }

  /** SQLSTATE 57014: a cancel request or a statement_timeout ended the statement. */
  private static boolean cancelled(Throwable failure) {
    return failure instanceof PgException pg && "57014".equals(pg.getSqlState());
  }

  /** The statement ran past its budget and PostgreSQL cancelled it: nothing it did was kept. */
  public static final class CancelledException extends RuntimeException {
    CancelledException(Throwable cause) {
      super("Cancelled past its budget", cause);
    }
  }
}
