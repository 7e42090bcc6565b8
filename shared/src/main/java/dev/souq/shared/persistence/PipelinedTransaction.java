package dev.souq.shared.persistence;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A transaction in as few round trips as its work allows. The PostgreSQL client pipelines the
 * statements it is handed together (written at once, answered in order), so BEGIN goes out with the
 * first statements and COMMIT with the last: a read-then-write transaction costs two round trips
 * instead of four. Through {@code Pool.withTransaction} each of BEGIN, statement and COMMIT waits
 * for the one before.
 *
 * <p>A statement that fails aborts the transaction, and PostgreSQL then answers a COMMIT sent
 * behind it by rolling back: nothing is half-written. Whatever fails, the connection is rolled back
 * before it returns to the pool.
 */
public final class PipelinedTransaction {
  /** One statement and its parameters. */
  public record Statement(String sql, Tuple parameters) {}

  private final SqlConnection connection;

  private PipelinedTransaction(SqlConnection connection) {
    this.connection = connection;
  }

  /** Runs {@code work} on one connection of {@code pool}, rolled back if it fails. */
  public static <T> Uni<T> run(Pool pool, Function<PipelinedTransaction, Uni<T>> work) {
    return pool.withConnection(
        connection -> {
          PipelinedTransaction transaction = new PipelinedTransaction(connection);
          return work.apply(transaction).onFailure().call(transaction::rollbackQuietly);
        });
  }

  /** BEGIN and the statements, in one round trip: their results, in order. */
  public Uni<List<RowSet<Row>>> begin(Statement... statements) {
    return pipeline("BEGIN", statements, null);
  }

  /** The statements and COMMIT, in one round trip: their results, in order. */
  public Uni<List<RowSet<Row>>> commit(Statement... statements) {
    return pipeline(null, statements, "COMMIT");
  }

  /** Ends the transaction without writing anything. */
  public Uni<Void> rollback() {
    return connection.query("ROLLBACK").execute().replaceWithVoid();
  }

  private Uni<Void> rollbackQuietly() {
    return rollback().onFailure().recoverWithNull();
  }

  private Uni<List<RowSet<Row>>> pipeline(String first, Statement[] statements, String last) {
    List<Uni<RowSet<Row>>> sent = new ArrayList<>(statements.length + 2);
    if (first != null) {
      sent.add(connection.query(first).execute());
    }
    for (Statement statement : statements) {
      sent.add(connection.preparedQuery(statement.sql()).execute(statement.parameters()));
    }
    if (last != null) {
      sent.add(connection.query(last).execute());
    }
    // Combined, the Unis are subscribed to one after the other at once: the client queues each
    // command in that order and writes it without waiting for the answers before it.
    int from = first == null ? 0 : 1;
    return Uni.combine()
        .all()
        .unis(sent)
        .with(
            results -> {
              List<RowSet<Row>> answers = new ArrayList<>(statements.length);
              for (int i = from; i < from + statements.length; i++) {
                @SuppressWarnings("unchecked")
                RowSet<Row> rows = (RowSet<Row>) results.get(i);
                answers.add(rows);
              }
              return answers;
            });
  }
}
