package dev.souq.shared.persistence;

import dev.souq.shared.problem.SchemaState;
import io.quarkus.arc.properties.IfBuildProperty;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.smallrye.mutiny.subscription.Cancellable;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Applies the Flyway migrations at start-up on a worker thread, retrying with backoff until
 * PostgreSQL answers. Flyway's own migrate-at-start would fail the boot while the database is away
 * (a crash loop on Kubernetes); this way the service starts, reports not-ready, and becomes ready
 * by itself. The start waits for the first try only ({@link #FIRST_TRY}). Requests that reach the
 * database before the schema is current and meet what the migrations have not made yet are answered
 * 503 ({@link SchemaState}). Enabled by the build property {@code souq.database.migrations=true}.
 *
 * <p>Most starts find the schema current: the reactive pool reads Flyway's history table first, and
 * when it already holds this build's {@code souq.database.schema-version} (the newest migration
 * file, which a deploy test keeps in step), Flyway is never run: no history scan, no migration
 * lock, ~300 classes fewer (Quarkus still builds Flyway's configuration and the JDBC datasource at
 * start). Flyway's check of applied migrations' checksums then runs only on starts that migrate.
 */
@Readiness
@ApplicationScoped
@IfBuildProperty(name = "souq.database.migrations", stringValue = "true")
public class DatabaseMigrations implements HealthCheck, SchemaState {
  private static final long SETTLING_NANOS = Duration.ofSeconds(5).toNanos();

  /**
   * How long a start waits for its first try at the migrations. A start that migrates a reachable
   * database finishes with the schema current, so no request meets it half-migrated; one whose
   * database is away goes on after its first failure (or this long) and keeps trying.
   */
  private static final Duration FIRST_TRY = Duration.ofSeconds(15);

  private final Instance<Flyway> flyway;
  private final Pool pool;
  private final String historyTable;
  private final String historyQuery;
  private final String schemaVersion;
  private volatile boolean applied;
  private volatile long appliedAt;
  private volatile String lastError = "not tried yet";
  private Cancellable running;
  private final CompletableFuture<Void> firstTry = new CompletableFuture<>();

  DatabaseMigrations(
      Instance<Flyway> flyway,
      Pool pool,
      @ConfigProperty(name = "souq.database.schema-version") String schemaVersion,
      @ConfigProperty(name = "quarkus.flyway.default-schema") Optional<String> schema,
      @ConfigProperty(name = "quarkus.flyway.schemas") Optional<List<String>> schemas,
      @ConfigProperty(name = "quarkus.flyway.table", defaultValue = "flyway_schema_history")
          String table) {
    this.flyway = flyway;
    this.pool = pool;
    this.schemaVersion = schemaVersion;
    // Where Flyway keeps its history: the default schema, else the first of its schemas.
    Optional<String> home = schema.or(() -> schemas.flatMap(all -> all.stream().findFirst()));
    String history = home.map(s -> quoted(s) + ".").orElse("") + quoted(table);
    this.historyTable = history;
    this.historyQuery = "SELECT version FROM " + history + " WHERE success AND version IS NOT NULL";
  }

  void start(@Observes StartupEvent event) {
    running =
        appliedVersion()
            .chain(version -> isCurrent(version) ? current(version) : migrate(version))
            .subscribe()
            .with(
                result -> {
                  appliedAt = System.nanoTime();
                  applied = true;
                  firstTry.complete(null);
                  if (result != null) {
                    Log.infof(
                        "Database migrations applied (%d new, schema version %s)",
                        result.migrationsExecuted, result.targetSchemaVersion);
                  }
                });
    awaitFirstTry();
  }

  /**
   * Holds the start for the first try. StartupEvent is never observed on an event loop (the main
   * thread; a worker thread on a dev-mode reload, well inside its blocked-thread limit).
   */
  private void awaitFirstTry() {
    try {
      firstTry.get(FIRST_TRY.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException stillRunning) {
      Log.infof("Database migrations still running after %s: starting meanwhile", FIRST_TRY);
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException never) {
      // firstTry is only ever completed normally.
    }
  }

  /**
   * The newest version Flyway's history records as applied, or null if there is none or it cannot
   * be read. A fresh database has no history table: asked for first, so that reading it does not
   * log an error in PostgreSQL at every first start.
   */
  private Uni<String> appliedVersion() {
    return PooledQuery.execute(pool, "SELECT to_regclass($1) IS NOT NULL", Tuple.of(historyTable))
        .chain(
            found ->
                found.iterator().next().getBoolean(0)
                    ? newestApplied()
                    : Uni.createFrom().<String>nullItem())
        .onFailure()
        .invoke(f -> Log.infof("Flyway's history not read (%s): Flyway will check", f.toString()))
        .onFailure()
        .recoverWithNull();
  }

  private Uni<String> newestApplied() {
    return PooledQuery.execute(pool, historyQuery)
        .map(
            rows -> {
              String newest = null;
              for (Row row : rows) {
                newest = SchemaVersions.newer(newest, row.getString(0));
              }
              return newest;
            });
  }

  private boolean isCurrent(String applied) {
    try {
      return applied != null && SchemaVersions.compare(applied, schemaVersion) >= 0;
    } catch (NumberFormatException notFlywaysVersion) {
      return false;
    }
  }

  private Uni<MigrateResult> current(String applied) {
    Log.infof(
        "Database schema at version %s, this build's is %s: nothing to migrate",
        applied, schemaVersion);
    return Uni.createFrom().nullItem();
  }

  /** Flyway, loaded now and only now, on a worker thread, retried until PostgreSQL lets it. */
  private Uni<MigrateResult> migrate(String applied) {
    Log.infof(
        "Database schema at version %s, this build's is %s: migrating",
        applied == null ? "unknown" : applied, schemaVersion);
    return Uni.createFrom()
        .item(() -> flyway.get().migrate())
        .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
        .onFailure()
        .invoke(this::remember)
        .onFailure()
        .retry()
        .withBackOff(Duration.ofMillis(250), Duration.ofSeconds(10))
        .indefinitely();
  }

  private static String quoted(String identifier) {
    return '"' + identifier.replace("\"", "\"\"") + '"';
  }

  void stop(@Observes ShutdownEvent event) {
    if (running != null) {
      running.cancel();
    }
  }

  private void remember(Throwable failure) {
    lastError = failure.getMessage();
    firstTry.complete(null);
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
