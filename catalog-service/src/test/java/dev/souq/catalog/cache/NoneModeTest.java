package dev.souq.catalog.cache;

import static io.restassured.RestAssured.given;

import dev.souq.catalog.Products;
import dev.souq.devstack.testing.SouqTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestProfile(NoneModeTest.None.class)
@WithTestResource(value = SouqTestResource.class, scope = TestResourceScope.GLOBAL)
class NoneModeTest {

  /** catalog.cache.mode=none. */
  public static class None implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("catalog.cache.mode", "none");
    }
  }

  @Test
  void alwaysReadsPostgres() {
    long id = Products.create("books", 10);
    given().get("/api/products/" + id).then().header("X-Cache", "BYPASS");
    given().get("/api/products/" + id).then().header("X-Cache", "BYPASS");
    given().get("/api/products").then().statusCode(200).header("X-Cache", "BYPASS");
  }
}
