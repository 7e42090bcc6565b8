package dev.souq.shared.persistence;

import io.quarkus.arc.properties.IfBuildProperty;
import io.quarkus.logging.Log;
import io.quarkus.reactive.pg.client.PgPoolCreator;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgPool;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Builds the reactive PostgreSQL pool (Hibernate Reactive's too) with short connect and acquire
 * timeouts, which Quarkus has no properties for: while PostgreSQL is unreachable a request fails
 * within {@link DatabasePoolConfig#acquireTimeout()} and is answered 503, instead of hanging; and
 * with a bound on silence ({@link #boundSilence}). Everything else is as Quarkus configured it. On
 * with {@code souq.database.migrations=true}.
 */
@Singleton
@IfBuildProperty(name = "souq.database.migrations", stringValue = "true")
public class DatabasePool implements PgPoolCreator {
  private final DatabasePoolConfig config;

  DatabasePool(DatabasePoolConfig config) {
    this.config = config;
  }

  @Override
  @SuppressWarnings("deprecation") // Quarkus 3.33 casts the result to PgPool
  public Pool create(Input input) {
    int connectMillis = (int) Math.max(1, config.connectTimeout().toMillis());
    input
        .pgConnectOptionsList()
        .forEach(
            options ->
                boundSilence(options.setConnectTimeout(connectMillis), config.silenceTimeout()));
    boundSilence(input.poolOptions(), config.silenceTimeout())
        .setConnectionTimeout((int) Math.max(1, config.acquireTimeout().toMillis()))
        .setConnectionTimeoutUnit(TimeUnit.MILLISECONDS);
    Log.infof(
        "PostgreSQL pool: connect timeout %s, acquire timeout %s, silence timeout %s",
        config.connectTimeout(), config.acquireTimeout(), config.silenceTimeout());
    return PgPool.pool(input.vertx(), input.pgConnectOptionsList(), input.poolOptions());
  }

  /**
   * Closes a connection that has sent and received nothing for {@code silence}. Nothing else ends a
   * statement whose network path went silent (a NAT or balancer dropping the flow, a database host
   * gone without a reset): no answer ever comes, Vert.x has no statement timeout, and TCP gives up
   * on unacknowledged data only after ~15 min; until then its request hangs and its connection is
   * lost to the pool. Sending the statement restarts the count, so each statement gets the whole of
   * {@code silence}. PostgreSQL itself ends one that runs that long a second earlier ({@code
   * statement_timeout}, SQLSTATE 57014, also answered 503), so the server stops the work and gives
   * its locks back rather than finishing for a client that left.
   */
  public static PgConnectOptions boundSilence(PgConnectOptions options, Duration silence) {
    long millis = Math.max(1, silence.toMillis());
    options.setIdleTimeout((int) millis).setIdleTimeoutUnit(TimeUnit.MILLISECONDS);
    options.addProperty("statement_timeout", Long.toString(Math.max(millis / 2, millis - 1000)));
    return options;
  }

  /**
   * The pool closes a connection unused for half the silence bound, so the bound meets only
   * connections that are in use: one handed out just as its silence ran out would otherwise fail
   * its first statement.
   */
  public static PoolOptions boundSilence(PoolOptions options, Duration silence) {
    return options
        .setIdleTimeout((int) Math.max(1, silence.toMillis() / 2))
        .setIdleTimeoutUnit(TimeUnit.MILLISECONDS);
  }
}
