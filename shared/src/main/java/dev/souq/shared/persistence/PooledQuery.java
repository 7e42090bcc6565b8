package dev.souq.shared.persistence;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * One statement on a connection leased from the pool, in place of {@code pool.preparedQuery(sql)}.
 * Vert.x 4.5's pool-level query arms a timer for the pool's acquire timeout and disarms it only
 * when a connection was acquired: when the acquisition fails (PostgreSQL away), the timer later
 * fails the answered query again, and Vert.x logs an {@code IllegalStateException: Result is
 * already complete} with its stack trace, one per failed statement for the whole outage
 * (eclipse-vertx/vertx-sql-client#1706). A leased connection's timer is cancelled either way. The
 * lease costs the client ~1 µs of CPU per statement (bench/PoolStatement.java; bench/RESULTS.md,
 * 2026-12-06), a few of an order's ~5 ms. Drop this once Vert.x is fixed (PooledQueryTest says
 * when).
 */
public final class PooledQuery {
  private PooledQuery() {}

  /** {@code sql}, prepared, with {@code parameters}. */
  public static Uni<RowSet<Row>> execute(Pool pool, String sql, Tuple parameters) {
    return pool.withConnection(connection -> connection.preparedQuery(sql).execute(parameters));
  }

  /** {@code sql} as a simple query, no parameters. */
  public static Uni<RowSet<Row>> execute(Pool pool, String sql) {
    return pool.withConnection(connection -> connection.query(sql).execute());
  }
}
