package dev.souq.shared.persistence;

import dev.souq.shared.problem.SchemaState;
import io.quarkus.arc.properties.IfBuildProperty;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.smallrye.mutiny.subscription.Cancellable;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.flywaydb.core.Flyway;

/**
 * Applies the Flyway migrations at start-up on a worker thread, retrying with backoff until
 * PostgreSQL answers. Flyway's own migrate-at-start would fail the boot while the database is away
 * (a crash loop on Kubernetes); this way the service starts, reports not-ready, and becomes ready
 * by itself. Requests that reach the database before then and name what the migrations have not
 * made yet are answered 503 ({@link SchemaState}). Enabled by the build property {@code
 * souq.database.migrations=true}.
 */
@Readiness
@ApplicationScoped
@IfBuildProperty(name = "souq.database.migrations", stringValue = "true")
public class DatabaseMigrations implements HealthCheck, SchemaState {
  private static final long SETTLING_NANOS = Duration.ofSeconds(5).toNanos();

  private final Flyway flyway;
  private volatile boolean applied;
  private volatile long appliedAt;
  private volatile String lastError = "not tried yet";
  private Cancellable running;

  DatabaseMigrations(Flyway flyway) {
    this.flyway = flyway;
  }

  void start(@Observes StartupEvent event) {
    running =
        Uni.createFrom()
            .item(flyway::migrate)
            .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
            .onFailure()
            .invoke(this::remember)
            .onFailure()
            .retry()
            .withBackOff(Duration.ofMillis(250), Duration.ofSeconds(10))
            .indefinitely()
            .subscribe()
            .with(
                result -> {
                  appliedAt = System.nanoTime();
                  applied = true;
                  Log.infof(
                      "Database migrations applied (%d new, schema version %s)",
                      result.migrationsExecuted, result.targetSchemaVersion);
                });
  }

  void stop(@Observes ShutdownEvent event) {
    if (running != null) {
      running.cancel();
    }
  }

  private void remember(Throwable failure) {
    lastError = failure.getMessage();
    Log.warnf("Database migrations not applied yet, retrying: %s", lastError);
  }

  /** True once the schema is current: repositories may be used. */
  public boolean applied() {
    return applied;
  }

  /** Also for a moment after: a query that failed just before the last migration committed. */
  @Override
  public boolean migrating() {
    return !applied || System.nanoTime() - appliedAt < SETTLING_NANOS;
  }

  @Override
  public HealthCheckResponse call() {
    var response = HealthCheckResponse.named("database-migrations").status(applied);
    return applied ? response.build() : response.withData("last_error", lastError).build();
  }
}
