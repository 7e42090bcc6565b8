package dev.souq.catalog.cache;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.souq.catalog.Products;
import dev.souq.testing.RedisCommand;
import dev.souq.testing.SouqTestResource;
import dev.souq.testing.TestStack;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keys that follow what callers ask for, not what the catalog holds (made-up ids, 100 a batch;
 * categories it does not have; pages past the end) are cached for 30 s ({@code
 * CATALOG_CACHE_ABSENT_TTL}) with no stale copy, so no caller can fill the Redis that sessions and
 * queues share. What the catalog has keeps its 300 s entry and its stale copy.
 */
@QuarkusTest
@WithTestResource(value = SouqTestResource.class, scope = TestResourceScope.GLOBAL)
class CallerChosenKeysTest {
  private static final long ABSENT_TTL_MS = 30_000;

  @Test
  void unknownIdsAreCachedBrieflyAndWithoutAStaleCopy() {
    long known = Products.create("keys", 500);
    List<Long> unknown = LongStream.rangeClosed(900_000_001L, 900_000_099L).boxed().toList();
    String ids =
        Stream.concat(Stream.of(known), unknown.stream())
            .map(String::valueOf)
            .collect(Collectors.joining(","));
    given().queryParam("ids", ids).get("/api/products/batch").then().statusCode(200);

    for (long id : unknown) {
      assertBrief(CacheKeys.product(id), CacheKeys.productStale(id));
    }
    assertKept(CacheKeys.product(known), CacheKeys.productStale(known));
  }

  @Test
  void emptyPagesAreCachedBrieflyAndWithoutAStaleCopy() {
    String category = "keys-" + UUID.randomUUID().toString().substring(0, 8);
    String madeUp = category + "-none";
    Products.create(category, 700);
    page(category, 0);
    page(category, 9_999); // past the end
    page(madeUp, 0);

    assertKept(freshPage(category, 0), CacheKeys.pageStale(pageKey(category, 0)));
    assertBrief(freshPage(category, 9_999), CacheKeys.pageStale(pageKey(category, 9_999)));
    assertBrief(freshPage(madeUp, 0), CacheKeys.pageStale(pageKey(madeUp, 0)));
  }

  @Test
  void aPageReadBetweenWritesKeepsOneKeyNotOnePerWrite() {
    String category = "keys-" + UUID.randomUUID().toString().substring(0, 8);
    Products.create(category, 700);
    for (int i = 0; i < 5; i++) {
      page(category, 0);
      // Any write (each order's reservation is one) starts a new generation of pages.
      Products.create("keys-elsewhere", 300);
    }
    page(category, 0);

    List<String> keys =
        RedisCommand.list(redis(), "KEYS", "products:{list}:*" + pageKey(category, 0));
    assertEquals(2, keys.size(), "the page and its stale copy, not a page per generation: " + keys);
  }

  private static void page(String category, int page) {
    given()
        .queryParam("category", category)
        .queryParam("page", page)
        .get("/api/products")
        .then()
        .statusCode(200);
  }

  private static String freshPage(String category, int page) {
    return CacheKeys.page(pageKey(category, page));
  }

  /** How ProductService names a page of a category at the default size. */
  private static String pageKey(String category, int page) {
    return "c=" + category + ":p=" + page + ":s=20";
  }

  private static void assertBrief(String key, String stale) {
    long ttl = pttl(key);
    assertTrue(ttl > 0 && ttl <= ABSENT_TTL_MS, key + " expires in " + ttl + " ms");
    assertEquals(0L, RedisCommand.call(redis(), "EXISTS", stale), stale);
  }

  private static void assertKept(String key, String stale) {
    long ttl = pttl(key);
    assertTrue(ttl > ABSENT_TTL_MS, key + " expires in " + ttl + " ms");
    assertEquals(1L, RedisCommand.call(redis(), "EXISTS", stale), stale);
  }

  private static long pttl(String key) {
    return (Long) RedisCommand.call(redis(), "PTTL", key);
  }

  private static String redis() {
    return TestStack.get().redisUrl();
  }
}
