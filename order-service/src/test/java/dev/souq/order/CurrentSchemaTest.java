package dev.souq.order;

import static org.hamcrest.Matchers.equalTo;

import dev.souq.shared.config.DatabaseUrl;
import dev.souq.testing.CatalogTestResource;
import dev.souq.testing.Management;
import dev.souq.testing.SouqTestResource;
import dev.souq.testing.TestStack;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.Map;
import org.awaitility.Awaitility;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

/**
 * A start that finds the schema at this build's version does not call Flyway (DatabaseMigrations):
 * here Flyway's JDBC datasource points where nothing listens, so a start that called it would stay
 * not-ready, as SchemaNotMigratedTest shows. The schema is brought to this build's version before
 * the service starts, by Flyway itself, on the real database. The service is ready: no readiness
 * check opens the datasource only Flyway uses (DatabaseReadiness asks the request pool; before it,
 * Agroal's check of that datasource kept such a service not ready).
 */
@QuarkusTest
@WithTestResource(value = SouqTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = CatalogTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(CurrentSchemaTest.MigratedThenFlywayUnreachable.class)
class CurrentSchemaTest {
  private static final String MIGRATIONS = "checks.find { it.name == 'database-migrations' }";
  private static final String DATABASE = "checks.find { it.name == 'postgresql' }";

  /** Migrates the orders schema, then gives the service a Flyway that cannot connect. */
  public static class MigratedThenFlywayUnreachable implements QuarkusTestResourceLifecycleManager {
    @Override
    public Map<String, String> start() {
      DatabaseUrl real = DatabaseUrl.parse("DATABASE_URL", TestStack.get().databaseUrl());
      // The settings of application.properties' quarkus.flyway.*, so the history is the same.
      Flyway.configure()
          .dataSource(real.jdbcUrl(), real.user().orElse("postgres"), real.password().orElse(""))
          .schemas("orders")
          .defaultSchema("orders")
          .load()
          .migrate();
      return Map.of("quarkus.datasource.jdbc.url", "jdbc:postgresql://127.0.0.1:1/souq");
    }

    @Override
    public void stop() {}

    /** After SouqTestResource, whose JDBC URL (the real database) this one must replace. */
    @Override
    public int order() {
      return 100;
    }
  }

  @Test
  void aCurrentSchemaIsAppliedWithoutFlyway() {
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                Management.given()
                    .get("/q/health/ready")
                    .then()
                    .body(MIGRATIONS + ".status", equalTo("UP"))
                    .body(DATABASE + ".status", equalTo("UP"))
                    .statusCode(200));
  }
}
