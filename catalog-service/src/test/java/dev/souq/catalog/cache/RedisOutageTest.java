package dev.souq.catalog.cache;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.souq.catalog.Products;
import dev.souq.testing.ProxyControl;
import dev.souq.testing.SouqTestResource;
import dev.souq.testing.TestStack;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.config.HttpClientConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** With Redis away the catalog serves from PostgreSQL; when it returns nothing stale is served. */
@QuarkusTest
@WithTestResource(value = SouqTestResource.class, scope = TestResourceScope.GLOBAL)
class RedisOutageTest {
  // A request that hung on Redis would fail this socket timeout instead of passing slowly.
  private static final RestAssuredConfig BOUNDED =
      RestAssuredConfig.config()
          .httpClient(
              HttpClientConfig.httpClientConfig()
                  .setParam("http.socket.timeout", 5000)
                  .setParam("http.connection.timeout", 5000));

  @Inject RedisGate gate;

  @Test
  void readsAndWritesWorkWithoutRedisAndNoStaleEntrySurvivesTheOutage() {
    long id = Products.create("garden", 100);
    await().atMost(Duration.ofSeconds(10)).until(gate::open);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> "HIT".equals(given().get("/api/products/" + id).header("X-Cache")));

    ProxyControl redis = TestStack.get().redisProxy();
    redis.cut();
    try {
      given()
          .config(BOUNDED)
          .get("/api/products/" + id)
          .then()
          .statusCode(200)
          .header("X-Cache", "BYPASS")
          .body("price_cents", equalTo(100));
      Products.setPrice(id, 300);
      given()
          .config(BOUNDED)
          .get("/api/products/" + id)
          .then()
          .statusCode(200)
          .header("X-Cache", "BYPASS")
          .body("price_cents", equalTo(300));
      given().config(BOUNDED).get("/api/products?category=garden").then().statusCode(200);
    } finally {
      redis.restore();
    }

    // Redis still holds price 100 from before the outage; it must never be served again.
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> {
              Response response = given().config(BOUNDED).get("/api/products/" + id);
              assertEquals(300, response.jsonPath().getInt("price_cents"));
              return "HIT".equals(response.header("X-Cache"));
            });
  }
}
