package dev.souq.catalog.cache;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.souq.devstack.Component;
import dev.souq.devstack.ServiceProcess;
import dev.souq.testing.RedisCommand;
import dev.souq.testing.Replicas;
import dev.souq.testing.TestStack;
import dev.souq.testing.Tokens;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Two packaged catalog-service instances in near mode share invalidations through Redis. */
class NearCacheIT {
  private static Replicas replicas;
  private static int portA;
  private static int portB;
  private static ServiceProcess replicaB;

  @BeforeAll
  static void startTwoReplicas() throws Exception {
    replicas = new Replicas(Component.CATALOG).with("CATALOG_CACHE_MODE", "near");
    List<ServiceProcess> both = replicas.start(2);
    portA = both.get(0).port();
    replicaB = both.get(1);
    portB = replicaB.port();
  }

  @AfterAll
  static void stop() throws InterruptedException {
    replicas.close();
  }

  @Test
  void aWriteOnOneReplicaClearsTheOtherReplicasL1() {
    long id =
        RestAssured.given()
            .port(portA)
            .header("Authorization", Tokens.ADMIN_BEARER)
            .contentType(ContentType.JSON)
            .body(product(100))
            .post("/api/products")
            .then()
            .statusCode(201)
            .extract()
            .jsonPath()
            .getLong("id");

    // B caches it (L1 and Redis) once its subscription and gate are up.
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> "HIT".equals(get(portB, id).header("X-Cache")));
    // Behind the services' back, drop the Redis copy: B still answers HIT, so from its L1.
    RedisCommand.run(TestStack.get().redisUrl(), "DEL", CacheKeys.product(id));
    double hits = hitsCounted(replicaB);
    Response fromL1 = get(portB, id);
    assertEquals("HIT", fromL1.header("X-Cache"));
    assertEquals(100, fromL1.jsonPath().getInt("price_cents"));
    // An answer from L1 skips the reactive path: it is counted all the same.
    assertEquals(hits + 1, hitsCounted(replicaB));

    RestAssured.given()
        .port(portA)
        .header("Authorization", Tokens.ADMIN_BEARER)
        .contentType(ContentType.JSON)
        .body(product(250).replace("\"sku\":\"", "\"sku\":\"" + id))
        .put("/api/products/" + id)
        .then()
        .statusCode(200);
    await()
        .atMost(Duration.ofSeconds(2))
        .until(() -> get(portB, id).jsonPath().getInt("price_cents") == 250);
  }

  /** catalog_cache_requests_total{result="hit"} on {@code replica}'s management interface. */
  private static double hitsCounted(ServiceProcess replica) {
    String metrics =
        RestAssured.given()
            .baseUri(replica.managementUri().toString())
            .get("/q/metrics")
            .asString();
    return metrics
        .lines()
        .filter(l -> l.startsWith("catalog_cache_requests_total{") && l.contains("result=\"hit\""))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .sum();
  }

  private static Response get(int port, long id) {
    return RestAssured.given().port(port).get("/api/products/" + id);
  }

  private static String product(long price) {
    return "{\"sku\":\"NEAR-"
        + System.nanoTime()
        + "\",\"name\":\"Near\",\"price_cents\":"
        + price
        + ",\"currency\":\"EUR\",\"category\":\"near\",\"stock\":1}";
  }
}
