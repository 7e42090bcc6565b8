package dev.souq.shared.persistence;

import io.quarkus.arc.properties.IfBuildProperty;
import io.quarkus.logging.Log;
import io.quarkus.reactive.pg.client.PgPoolCreator;
import io.vertx.pgclient.PgPool;
import io.vertx.sqlclient.Pool;
import jakarta.inject.Singleton;
import java.util.concurrent.TimeUnit;

/**
 * Builds the reactive PostgreSQL pool (Hibernate Reactive's too) with short connect and acquire
 * timeouts, which Quarkus has no properties for: while PostgreSQL is unreachable a request fails
 * within {@link DatabasePoolConfig#acquireTimeout()} and is answered 503, instead of hanging.
 * Everything else is as Quarkus configured it. On with {@code souq.database.migrations=true}.
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
    input.pgConnectOptionsList().forEach(options -> options.setConnectTimeout(connectMillis));
    input
        .poolOptions()
        .setConnectionTimeout((int) Math.max(1, config.acquireTimeout().toMillis()))
        .setConnectionTimeoutUnit(TimeUnit.MILLISECONDS);
    Log.infof(
        "PostgreSQL pool: connect timeout %s, acquire timeout %s",
        config.connectTimeout(), config.acquireTimeout());
    return PgPool.pool(input.vertx(), input.pgConnectOptionsList(), input.poolOptions());
  }
}
