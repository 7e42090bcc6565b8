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
 * with a bound on silence ({@link #bounded(PgConnectOptions, DatabasePoolConfig)}). Everything else
 * is as Quarkus configured it. On with {@code souq.database.migrations=true}.
 */
@Singleton
@IfBuildProperty(name = "souq.database.migrations", stringValue = "true")
public class DatabasePool implements PgPoolCreator {
  /** Below this, the bound would cut statements that are merely waiting for a row lock (2 s). */
  static final Duration MIN_SILENCE = Duration.ofSeconds(3);

  private final DatabasePoolConfig config;

  DatabasePool(DatabasePoolConfig config) {
    this.config = config;
  }

  @Override
  @SuppressWarnings("deprecation") // Quarkus 3.33 casts the result to PgPool
  public Pool create(Input input) {
    input.pgConnectOptionsList().forEach(options -> bounded(options, config));
    bounded(input.poolOptions(), config);
    Log.infof(
        "PostgreSQL pool: connect timeout %s, acquire timeout %s, silence timeout %s",
        config.connectTimeout(), config.acquireTimeout(), config.silenceTimeout());
    return PgPool.pool(input.vertx(), input.pgConnectOptionsList(), input.poolOptions());
  }

  /**
   * The connect timeout, and a bound on silence: a connection that has sent and received nothing
   * for {@link DatabasePoolConfig#silenceTimeout()} is closed. Nothing else ends a statement whose
   * network path went silent (a NAT or balancer dropping the flow, a database host gone without a
   * reset): no answer ever comes, Vert.x has no statement timeout, and TCP gives up on
   * unacknowledged data only after ~15 min; until then its request hangs and its connection is lost
   * to the pool. Sending a statement restarts the count, so each gets the whole bound.
   *
   * <p>That count alone is not enough: a Hibernate Reactive session whose caller gave up (its own
   * timeout) gives its connection back to the pool at once, with the answer still owed, and the
   * statements sent on it after that would restart the count for good while none is ever answered.
   * So a connection that has heard nothing for twice the bound is closed as well, however often it
   * is written to. A live connection hears something sooner: one that sends nothing for the bound
   * after its last answer is closed by the count above, and PostgreSQL answers every statement
   * within the bound (below).
   *
   * <p>PostgreSQL, which may never hear of the close, bounds its side too: a statement running that
   * long is cancelled a second earlier ({@code statement_timeout}, SQLSTATE 57014, answered 503),
   * and a session left idle inside a transaction that long is ended ({@code
   * idle_in_transaction_session_timeout}), so that the row and advisory locks of a client that is
   * gone are given back instead of being held until the server's TCP gives up.
   */
  public static PgConnectOptions bounded(PgConnectOptions options, DatabasePoolConfig config) {
    long silence = silenceMillis(config);
    options.setConnectTimeout(millis(config.connectTimeout()));
    options.setIdleTimeout((int) silence);
    options.setReadIdleTimeout((int) Math.min(Integer.MAX_VALUE, 2 * silence));
    options.setIdleTimeoutUnit(TimeUnit.MILLISECONDS);
    options.addProperty("statement_timeout", Long.toString(silence - 1000));
    options.addProperty("idle_in_transaction_session_timeout", Long.toString(silence));
    return options;
  }

  /**
   * The connect timeout, and a bound on silence for a connection that only listens (LISTEN): closed
   * once nothing has come from PostgreSQL for the bound. Its owner must ask on it more often than
   * that, since sending alone would keep an all-idle bound from ever running out.
   */
  public static PgConnectOptions listening(PgConnectOptions options, DatabasePoolConfig config) {
    options.setConnectTimeout(millis(config.connectTimeout()));
    options.setReadIdleTimeout((int) silenceMillis(config));
    options.setIdleTimeoutUnit(TimeUnit.MILLISECONDS);
    return options;
  }

  /**
   * The acquire timeout; and a connection unused for half the silence bound is closed by the pool,
   * so that the bound meets only connections in use: one handed out just as its silence ran out
   * would otherwise fail its first statement.
   */
  public static PoolOptions bounded(PoolOptions options, DatabasePoolConfig config) {
    return options
        .setConnectionTimeout(millis(config.acquireTimeout()))
        .setConnectionTimeoutUnit(TimeUnit.MILLISECONDS)
        .setIdleTimeout((int) (silenceMillis(config) / 2))
        .setIdleTimeoutUnit(TimeUnit.MILLISECONDS);
  }

  static long silenceMillis(DatabasePoolConfig config) {
    Duration silence = config.silenceTimeout();
    if (silence.compareTo(MIN_SILENCE) < 0) {
      throw new IllegalArgumentException(
          "SOUQ_DATABASE_POOL_SILENCE_TIMEOUT is " + silence + "; at least " + MIN_SILENCE);
    }
    return millis(silence);
  }

  private static int millis(Duration duration) {
    return (int) Math.min(Integer.MAX_VALUE, Math.max(1, duration.toMillis()));
  }
}
