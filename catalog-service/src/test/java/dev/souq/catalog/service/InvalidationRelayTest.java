package dev.souq.catalog.service;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.souq.catalog.Products;
import dev.souq.catalog.cache.RedisGate;
import dev.souq.testing.SouqTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The invalidation relay against real PostgreSQL and Redis, with the gate open: a row its writer
 * has only just applied is left to the writer's batched DELETE, and one that outlived that is
 * applied again and deleted.
 */
@QuarkusTest
@WithTestResource(value = SouqTestResource.class, scope = TestResourceScope.GLOBAL)
class InvalidationRelayTest {
  @Inject Pool database;
  @Inject RedisGate gate;

  @Test
  void aRowStillSettlingIsLeftAloneAndAnOlderOneIsAppliedAgain() {
    long settling = Products.create("kitchen", 100);
    long older = Products.create("kitchen", 100);
    for (long id : new long[] {settling, older}) {
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> "HIT".equals(given().get("/api/products/" + id).header("X-Cache")));
    }
    // Dated ahead, one row stays "just applied" for as long as the test needs; the other is past
    // SETTLING and inside the grace period. No writer settles either.
    long young = owe(settling, "now() + interval '1 hour'");
    long old = owe(older, "now() - interval '600 milliseconds'");

    // The poll that took the older row saw both (they are read together, oldest first). A poll
    // late past the grace period shuts the gate until it has applied the row: wait for it open.
    await().atMost(Duration.ofSeconds(10)).until(() -> rows(old) == 0 && gate.open());
    assertEquals(1, rows(young));
    given().get("/api/products/" + settling).then().header("X-Cache", "HIT");
    // Applied through Redis: a MISS that fills it again.
    given().get("/api/products/" + older).then().header("X-Cache", "MISS");

    database
        .preparedQuery(
            "UPDATE catalog.cache_invalidation SET created_at = now() - interval '1 second'"
                + " WHERE id = $1")
        .execute(Tuple.of(young))
        .await()
        .atMost(Duration.ofSeconds(10));
    await().atMost(Duration.ofSeconds(10)).until(() -> rows(young) == 0 && gate.open());
    given().get("/api/products/" + settling).then().header("X-Cache", "MISS");
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
