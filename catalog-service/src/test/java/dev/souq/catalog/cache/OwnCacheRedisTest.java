package dev.souq.catalog.cache;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.souq.catalog.Products;
import dev.souq.testing.RedisCommand;
import dev.souq.testing.SouqTestResource;
import dev.souq.testing.TestStack;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The cache on a Redis of its own, as {@code CATALOG_CACHE_REDIS_URL} sets it (here another
 * database of the test Redis): products are cached and invalidated there, and nothing of the cache
 * lands in the shared Redis.
 */
@QuarkusTest
@TestProfile(OwnCacheRedisTest.OwnRedis.class)
@WithTestResource(value = SouqTestResource.class, scope = TestResourceScope.GLOBAL)
class OwnCacheRedisTest {
  /** The cache client on another database than the shared client's. */
  public static class OwnRedis implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          "quarkus.redis.cache.hosts",
          cacheUrl(TestStack.get().proxiedRedisUrl()),
          "quarkus.redis.cache.client-type",
          "standalone");
    }
  }

  @Inject RedisGate gate;

  @BeforeEach
  void redisIsInUse() {
    await().atMost(Duration.ofSeconds(10)).until(gate::open);
  }

  @Test
  void productsAreCachedAndInvalidatedOnTheCachesOwnRedis() {
    String shared = TestStack.get().redisUrl();
    String own = cacheUrl(shared);
    long id = Products.create("kitchen", 100);
    String key = CacheKeys.product(id);

    given().get("/api/products/" + id).then().statusCode(200);
    given().get("/api/products/" + id).then().statusCode(200).header("X-Cache", "HIT");
    assertEquals(1L, RedisCommand.call(own, "EXISTS", key), "cached on the cache's Redis");
    assertEquals(0L, RedisCommand.call(shared, "EXISTS", key), "nothing cached on the shared one");

    Products.setPrice(id, 250);
    assertEquals(0L, RedisCommand.call(own, "EXISTS", key), "invalidated where it was cached");
    given().get("/api/products/" + id).then().statusCode(200).body("price_cents", equalTo(250));
  }

  /** {@code url} with another database number: 5, or 6 where it is 5. */
  static String cacheUrl(String url) {
    URI uri = URI.create(url);
    String path = uri.getPath() == null ? "" : uri.getPath().replace("/", "");
    String database = path.equals("5") ? "6" : "5";
    String auth = uri.getRawUserInfo() == null ? "" : uri.getRawUserInfo() + "@";
    return uri.getScheme() + "://" + auth + uri.getHost() + ":" + uri.getPort() + "/" + database;
  }
}
