package dev.souq.catalog.cache;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.souq.catalog.Products;
import dev.souq.testing.RedisCommand;
import dev.souq.testing.SouqTestResource;
import dev.souq.testing.TestStack;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** A hot key that expires costs one PostgreSQL load, however many readers miss it at once. */
@QuarkusTest
@WithTestResource(value = SouqTestResource.class, scope = TestResourceScope.GLOBAL)
class StampedeTest {
  @Inject CacheMetrics metrics;
  @Inject RedisGate gate;
  @Inject Pool database;

  @TestHTTPResource("/api/products/")
  URI products;

  @Test
  void hundredConcurrentMissesOfOneKeyMakeOneDatabaseLoad() throws Exception {
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    // After an outage test the pools may still hold dead Redis connections: a reader that meets
    // one closes the gate and goes to PostgreSQL (BYPASS), which is right but not what this test
    // measures. So a stampede counts only if every reader went through the cache; a new product
    // each time, until one does.
    Stampede counted = null;
    for (int attempt = 0; attempt < 5 && counted == null; attempt++) {
      await().atMost(Duration.ofSeconds(30)).until(gate::open);
      Stampede run = stampede(client, Products.create("kitchen", 4242 + attempt));
      if (!run.cacheStates().contains("BYPASS")) {
        counted = run;
      }
    }
    assertNotNull(counted, "Redis never stayed up for a whole stampede in five attempts");
    assertEquals(Set.of(200), counted.statuses());
    assertEquals(1, counted.bodies().size(), "every reader got the same product");
    assertEquals(1, counted.loads(), "database loads for 100 concurrent misses");
  }

  @Test
  void aWriteDuringAHotKeysLoadSendsItsWaitersToOneMoreLoadNotOneEach() throws Exception {
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    Stampede counted = null;
    for (int attempt = 0; attempt < 5 && counted == null; attempt++) {
      await().atMost(Duration.ofSeconds(30)).until(gate::open);
      long id = Products.create("kitchen", 4343 + attempt);
      long failures = gate.failures();
      Stampede run = stampede(client, id, () -> writeDuringTheLoad(id, failures));
      if (!run.cacheStates().contains("BYPASS")) {
        counted = run;
      }
    }
    assertNotNull(counted, "Redis never stayed up for a whole stampede in five attempts");
    assertEquals(Set.of(200), counted.statuses());
    // The first load's fill is refused (a write came after it read); one waiter loads again and
    // fills for the others. Each loading on its own made a hundred.
    assertTrue(counted.loads() <= 3, "database loads for 100 misses and one write: " + counted);
  }

  /**
   * Holds the first reader's load on a table lock until it holds the key's fill lock, then bumps
   * the key's version, as any write (each order's reservation) does.
   */
  private void writeDuringTheLoad(long id, long failuresBefore) {
    SqlConnection lock = database.getConnection().await().atMost(Duration.ofSeconds(10));
    try {
      lock.query("BEGIN").execute().await().atMost(Duration.ofSeconds(10));
      lock.query("LOCK TABLE catalog.product IN ACCESS EXCLUSIVE MODE")
          .execute()
          .await()
          .atMost(Duration.ofSeconds(10));
      // Unless a reader met a dead Redis connection and closed the gate (for a moment): then they
      // went to PostgreSQL (BYPASS) without a lock, and the caller tries another stampede.
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> locked(id) || gate.failures() != failuresBefore);
      if (locked(id)) {
        redis("INCR", CacheKeys.productVersion(id));
      }
    } finally {
      lock.query("COMMIT").execute().await().atMost(Duration.ofSeconds(10));
      lock.close().await().atMost(Duration.ofSeconds(10));
    }
  }

  private static boolean locked(long id) {
    return Long.valueOf(1).equals(redis("EXISTS", CacheKeys.productLock(id)));
  }

  private static Object redis(String... command) {
    return RedisCommand.call(TestStack.get().redisUrl(), command);
  }

  private record Stampede(
      Set<Integer> statuses, Set<String> bodies, Set<String> cacheStates, long loads) {}

  /** 100 concurrent reads of a product nobody has read yet. */
  private Stampede stampede(HttpClient client, long id) {
    return stampede(client, id, () -> {});
  }

  /** The same, with {@code meanwhile} run once they are sent. */
  private Stampede stampede(HttpClient client, long id, Runnable meanwhile) {
    long loadsBefore = metrics.loadCount();
    HttpRequest get = HttpRequest.newBuilder(products.resolve(Long.toString(id))).build();
    List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      responses.add(client.sendAsync(get, HttpResponse.BodyHandlers.ofString()));
    }
    meanwhile.run();
    CompletableFuture.allOf(responses.toArray(CompletableFuture[]::new)).join();
    List<HttpResponse<String>> answers = responses.stream().map(CompletableFuture::join).toList();
    return new Stampede(
        answers.stream().map(HttpResponse::statusCode).collect(Collectors.toSet()),
        answers.stream().map(HttpResponse::body).collect(Collectors.toSet()),
        answers.stream()
            .map(r -> r.headers().firstValue("X-Cache").orElse("none"))
            .collect(Collectors.toSet()),
        metrics.loadCount() - loadsBefore);
  }
}
