package dev.souq.order.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import dev.souq.order.Shopper;
import dev.souq.shared.config.DatabaseUrl;
import dev.souq.testing.CatalogTestResource;
import dev.souq.testing.Management;
import dev.souq.testing.SouqTestResource;
import dev.souq.testing.TestStack;
import dev.souq.testing.Tokens;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A service answers before its migrations have run (they retry until PostgreSQL lets them), and
 * worker-service calls it from its first second. A request whose query meets a table the schema
 * does not have yet is the database not being ready: 503 with Retry-After, not 500.
 */
@QuarkusTest
@TestProfile(SchemaNotMigratedTest.BeforeMigrations.class)
@WithTestResource(value = SouqTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = CatalogTestResource.class, scope = TestResourceScope.GLOBAL)
class SchemaNotMigratedTest {

  /**
   * Flyway's JDBC datasource points where nothing listens, so the migrations never run; the
   * requests' reactive pool reaches the real server's {@code postgres} database, which every
   * PostgreSQL has and where the orders schema was never made.
   */
  public static class BeforeMigrations implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      DatabaseUrl real = DatabaseUrl.parse("DATABASE_URL", TestStack.get().databaseUrl());
      return Map.of(
          "quarkus.datasource.jdbc.url",
          "jdbc:postgresql://127.0.0.1:1/souq",
          "quarkus.datasource.reactive.url",
          "postgresql://" + real.host() + ":" + real.port() + "/postgres");
    }
  }

  @Test
  void queriesBeforeTheMigrationsAre503WithRetryAfter() {
    Management.given()
        .get("/q/health/ready")
        .then()
        .statusCode(503)
        .body(containsString("database-migrations"));

    // The call worker-service makes from its first second, and a shopper's list of orders.
    given()
        .header("Authorization", Tokens.SERVICE_BEARER)
        .post("/api/orders/unpaid/cancel?limit=10")
        .then()
        .statusCode(503)
        .contentType("application/problem+json")
        .header("Retry-After", not(equalTo(null)))
        .body("status", equalTo(503))
        // This outage and no other: the schema is missing, not the server.
        .body("detail", containsString("being prepared"))
        .body("detail", not(containsString("customer_order")));
    given()
        .cookie("SOUQ_SESSION", Shopper.start().session())
        .get("/api/orders")
        .then()
        .statusCode(503)
        .header("Retry-After", not(equalTo(null)))
        .body("detail", containsString("being prepared"));
  }
}
