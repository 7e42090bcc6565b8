package dev.souq.catalog.cache;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import dev.souq.catalog.Products;
import dev.souq.devstack.Ports;
import dev.souq.testing.Management;
import dev.souq.testing.SouqTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The cache's own Redis ({@code CATALOG_CACHE_REDIS_URL}) away while the shared one answers: the
 * catalog stays ready and serves from PostgreSQL, as the cache's loss promises.
 */
@QuarkusTest
@TestProfile(CacheRedisAwayTest.NothingListens.class)
@WithTestResource(value = SouqTestResource.class, scope = TestResourceScope.GLOBAL)
class CacheRedisAwayTest {
  /** The cache client on a port where nothing listens. */
  public static class NothingListens implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          "quarkus.redis.cache.hosts",
          "redis://127.0.0.1:" + Ports.free(),
          "quarkus.redis.cache.client-type",
          "standalone");
    }
  }

  @Test
  void theCatalogStaysReadyAndReadsComeFromPostgresql() {
    long id = Products.create("kitchen", 100);
    for (int i = 0; i < 2; i++) {
      given()
          .get("/api/products/" + id)
          .then()
          .statusCode(200)
          .header("X-Cache", "BYPASS")
          .body("price_cents", equalTo(100));
    }
    Management.given()
        .get("/q/health/ready")
        .then()
        .statusCode(200)
        .body("checks.find { it.name == 'Redis connection health check' }.status", equalTo("UP"));
  }
}
