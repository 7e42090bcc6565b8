package dev.souq.testing;

import static dev.souq.testing.Management.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What every Souq service promises operators, checked against real Redis (and PostgreSQL where the
 * service has one): readiness that follows its dependencies, Prometheus metrics and OpenAPI, all on
 * the management interface and none on the public port. A service's test extends it and names the
 * readiness checks it expects.
 */
public abstract class ServiceSmokeTest {

  /** The names of the readiness checks that must be UP, e.g. the Redis and database checks. */
  protected abstract List<String> readinessChecks();

  @Test
  void isReadyWhenItsServersAnswer() {
    var ready =
        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () -> given().get("/q/health/ready").then().extract().response(),
                response -> response.statusCode() == 200);
    for (String check : readinessChecks()) {
      ready.then().body("checks.name", hasItem(check));
    }
    given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
  }

  /** Whether the service has a PostgreSQL database whose outage readiness must follow. */
  protected abstract boolean usesPostgres();

  @Test
  void turnsNotReadyWhileRedisIsUnreachableAndRecovers() {
    assertReadinessFollows(TestStack.get().redisProxy());
  }

  @Test
  void turnsNotReadyWhilePostgresIsUnreachableAndRecovers() {
    assumeTrue(usesPostgres(), "this service has no database");
    assertReadinessFollows(TestStack.get().postgresProxy());
  }

  private static void assertReadinessFollows(ProxyControl server) {
    try {
      server.cut();
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> given().get("/q/health/ready").statusCode() == 503);
      // Liveness must not follow a server, or Kubernetes would restart every pod in an outage.
      given().get("/q/health/live").then().statusCode(200);
    } finally {
      server.restore();
    }
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> given().get("/q/health/ready").statusCode() == 200);
  }

  @Test
  void servesOperationsOnTheManagementPortOnly() {
    for (String path : List.of("/q/health/live", "/q/metrics", "/q/openapi", "/q/swagger-ui/")) {
      io.restassured.RestAssured.given().get(path).then().statusCode(404);
      given().get(path).then().statusCode(200);
    }
  }

  @Test
  void servesPrometheusMetricsAndOpenApi() {
    given()
        .get("/q/metrics")
        .then()
        .statusCode(200)
        .body(containsString("# TYPE jvm_memory_used_bytes gauge"));
    given()
        .accept("application/json")
        .get("/q/openapi")
        .then()
        .statusCode(200)
        .body("openapi", org.hamcrest.Matchers.startsWith("3."));
  }
}
