package dev.souq.shared.persistence;

import io.quarkus.arc.properties.IfBuildProperty;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness asks PostgreSQL through the pool that serves requests, with a statement on a leased
 * connection ({@link PooledQuery}). Quarkus' own checks are off ({@code
 * quarkus.datasource.health-exclude}): the reactive one runs the pool's own query, which logs an
 * error with a stack trace at every probe while PostgreSQL is away (vertx-sql-client#1706), and the
 * JDBC one checks the datasource only Flyway uses, which a start at the current schema never opens.
 * Enabled by the build property {@code souq.database.migrations=true}.
 */
@Readiness
@ApplicationScoped
@IfBuildProperty(name = "souq.database.migrations", stringValue = "true")
public class DatabaseReadiness implements AsyncHealthCheck {
  static final String NAME = "postgresql";

  private final Pool pool;

  DatabaseReadiness(Pool pool) {
    this.pool = pool;
  }

  @Override
  public Uni<HealthCheckResponse> call() {
    return PooledQuery.execute(pool, "SELECT 1")
        .map(rows -> HealthCheckResponse.up(NAME))
        .onFailure()
        .recoverWithItem(
            failure ->
                HealthCheckResponse.named(NAME)
                    .down()
                    .withData("error", failure.getClass().getSimpleName())
                    .build());
  }
}
