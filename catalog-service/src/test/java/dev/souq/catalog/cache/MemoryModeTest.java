package dev.souq.catalog.cache;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import dev.souq.catalog.Products;
import dev.souq.testing.ProxyControl;
import dev.souq.testing.SouqTestResource;
import dev.souq.testing.TestStack;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestProfile(MemoryModeTest.Memory.class)
@WithTestResource(value = SouqTestResource.class, scope = TestResourceScope.GLOBAL)
class MemoryModeTest {

  /** catalog.cache.mode=memory. */
  public static class Memory implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("catalog.cache.mode", "memory");
    }
  }

  @Test
  void cachesInProcessWithoutRedisAndForgetsOnWrite() {
    ProxyControl redis = TestStack.get().redisProxy();
    redis.cut();
    try {
      long id = Products.create("books", 10);
      given().get("/api/products/" + id).then().header("X-Cache", "MISS");
      given().get("/api/products/" + id).then().header("X-Cache", "HIT");
      Products.setPrice(id, 20);
      given()
          .get("/api/products/" + id)
          .then()
          .header("X-Cache", "MISS")
          .body("price_cents", equalTo(20));
    } finally {
      redis.restore();
    }
  }
}
