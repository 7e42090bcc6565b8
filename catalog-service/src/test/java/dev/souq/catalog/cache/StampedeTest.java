package dev.souq.catalog.cache;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.souq.catalog.Products;
import dev.souq.devstack.testing.SouqTestResource;
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
    long id = Products.create("kitchen", 4242);
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    // After an outage test the pool may still hold dead Redis connections: read another product
    // until Redis answers (not BYPASS), so the stampede below meets a working cache.
    HttpRequest warmUp = HttpRequest.newBuilder(products.resolve("1")).build();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                gate.open()
                    && !"BYPASS"
                        .equals(
                            client
                                .send(warmUp, HttpResponse.BodyHandlers.discarding())
                                .headers()
                                .firstValue("X-Cache")
                                .orElse("BYPASS")));
    long loadsBefore = metrics.loadCount();

    HttpRequest get = HttpRequest.newBuilder(products.resolve(Long.toString(id))).build();
    List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      responses.add(client.sendAsync(get, HttpResponse.BodyHandlers.ofString()));
    }
    CompletableFuture.allOf(responses.toArray(CompletableFuture[]::new)).join();

    Set<Integer> statuses =
        responses.stream().map(r -> r.join().statusCode()).collect(Collectors.toSet());
    Set<String> bodies = responses.stream().map(r -> r.join().body()).collect(Collectors.toSet());
    assertEquals(Set.of(200), statuses);
    assertEquals(1, bodies.size(), "every reader got the same product");
    assertEquals(1, metrics.loadCount() - loadsBefore, "database loads for 100 concurrent misses");
  }
}
