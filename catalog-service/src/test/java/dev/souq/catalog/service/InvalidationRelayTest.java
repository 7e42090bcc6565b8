package dev.souq.catalog.service;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.souq.catalog.Products;
import dev.souq.catalog.cache.CacheKeys;
import dev.souq.testing.RedisCommand;
import dev.souq.testing.SouqTestResource;
import dev.souq.testing.TestStack;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The invalidation relay against real PostgreSQL and Redis: a row its writer has only just applied
 * is left to the writer's batched DELETE, and one that outlived that is applied again and deleted.
 */
@QuarkusTest
@WithTestResource(value = SouqTestResource.class, scope = TestResourceScope.GLOBAL)
class InvalidationRelayTest {
  @Inject Pool database;
  private final String redis = TestStack.get().redisUrl();

  @Test
  void aRowStillSettlingIsLeftAloneAndAnOlderOneIsAppliedAgain() {
    long settling = Products.create("kitchen", 100);
    long older = Products.create("kitchen", 100);
    long young = 0;
    // The relay leaves young rows alone only while its gate is open. A Redis call that is late on
    // a busy machine shuts the gate for a while, and the relay then rightly applies every row; an
    // attempt whose pass took the young row too is made again, a few times at most.
    for (int attempt = 1; young == 0; attempt++) {
      assertTrue(attempt <= 5, "the relay applied the young row in every attempt");
      for (long id : new long[] {settling, older}) {
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> "HIT".equals(given().get("/api/products/" + id).header("X-Cache")));
      }
      // Dated ahead, one row stays "just applied" for as long as the test needs; the other is
      // just past SETTLING, as far inside the grace period as it can be. No writer settles either.
      long candidate = owe(settling, "now() + interval '1 hour'");
      long old = owe(older, "now() - interval '550 milliseconds'");
      // The poll that took the older row saw both (they are read together, oldest first).
      await().atMost(Duration.ofSeconds(10)).until(() -> rows(old) == 0);
      assertEquals(0L, RedisCommand.call(redis, "EXISTS", CacheKeys.product(older)));
      if (rows(candidate) == 1) {
        young = candidate;
      }
    }
    // It left the young row and its product's cached copy alone.
    assertEquals(1L, RedisCommand.call(redis, "EXISTS", CacheKeys.product(settling)));

    database
        .preparedQuery(
            "UPDATE catalog.cache_invalidation SET created_at = now() - interval '1 second'"
                + " WHERE id = $1")
        .execute(Tuple.of(young))
        .await()
        .atMost(Duration.ofSeconds(10));
    long applied = young;
    await().atMost(Duration.ofSeconds(10)).until(() -> rows(applied) == 0);
    assertEquals(0L, RedisCommand.call(redis, "EXISTS", CacheKeys.product(settling)));
  }

  /** An owed row for the product, created at {@code when} (SQL). */
  private long owe(long product, String when) {
    return number(
        "INSERT INTO catalog.cache_invalidation (product_id, created_at) VALUES ($1, "
            + when
            + ") RETURNING id",
        product);
  }

  private long rows(long row) {
    return number("SELECT count(*) FROM catalog.cache_invalidation WHERE id = $1", row);
  }

  /** The one number {@code sql} answers for {@code arg}. */
  private long number(String sql, long arg) {
    return database
        .preparedQuery(sql)
        .execute(Tuple.of(arg))
        .await()
        .atMost(Duration.ofSeconds(10))
        .iterator()
        .next()
        .getLong(0);
  }
}
