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
  void readersWhoseLockHolderGaveUpWithoutAValueMakeOneMoreLoadNotOneEach() throws Exception {
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    Stampede counted = null;
    for (int attempt = 0; attempt < 5 && counted == null; attempt++) {
      await().atMost(Duration.ofSeconds(30)).until(gate::open);
      long id = Products.create("kitchen", 4343 + attempt);
      // Another reader holds the fill lock and lets it lapse without a value, as one whose fill a
      // write fenced off (every reservation is a write) or whose load failed does.
      redis("SET", CacheKeys.productLock(id), "another-reader", "PX", "1000");
      Stampede run = stampede(client, id);
      if (!run.cacheStates().contains("BYPASS")) {
        counted = run;
      }
    }
    assertNotNull(counted, "Redis never stayed up for a whole stampede in five attempts");
    assertEquals(Set.of(200), counted.statuses());
    // One of the waiters claims the lock again and fills for the others; each loading on its own
    // made a hundred.
    assertTrue(counted.loads() <= 2, "database loads for 100 waiting readers: " + counted);
  }

  private static Object redis(String... command) {
    return RedisCommand.call(TestStack.get().redisUrl(), command);
  }

  private record Stampede(
      Set<Integer> statuses, Set<String> bodies, Set<String> cacheStates, long loads) {}

  /** 100 concurrent reads of a product nobody has read yet. */
  private Stampede stampede(HttpClient client, long id) {
    long loadsBefore = metrics.loadCount();
    HttpRequest get = HttpRequest.newBuilder(products.resolve(Long.toString(id))).build();
    List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      responses.add(client.sendAsync(get, HttpResponse.BodyHandlers.ofString()));
    }
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
