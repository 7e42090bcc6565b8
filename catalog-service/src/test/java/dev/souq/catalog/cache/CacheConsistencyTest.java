package dev.souq.catalog.cache;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.souq.catalog.Products;
import dev.souq.testing.SouqTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The cache is never stale once a write has returned, against real Redis and PostgreSQL. */
@QuarkusTest
@WithTestResource(value = SouqTestResource.class, scope = TestResourceScope.GLOBAL)
class CacheConsistencyTest {
  @Inject ProductCache cache;
  @Inject RedisGate gate;

  @BeforeEach
  void redisIsInUse() {
    await().atMost(Duration.ofSeconds(10)).until(gate::open);
  }

  @Test
  void aFillBegunBeforeAWriteIsNeverCachedAfterIt() throws Exception {
    long id = Products.create("kitchen", 100);
    String oldJson = given().get("/api/products/" + id).asString();
    // Forget it so the next read is a miss whose load we control.
    cache.invalidate(List.of(id)).await().atMost(Duration.ofSeconds(5));

    CompletableFuture<String> slowLoad = new CompletableFuture<>();
    AtomicBoolean loaderCalled = new AtomicBoolean();
    CompletableFuture<Cached> slowReader =
        cache
            .product(
                id,
                () -> {
                  loaderCalled.set(true);
                  return Uni.createFrom().completionStage(slowLoad);
                })
            .subscribeAsCompletionStage();
    await().atMost(Duration.ofSeconds(5)).untilTrue(loaderCalled);

    // The write commits and returns while the slow reader still holds the old row.
    Products.setPrice(id, 200);
    slowLoad.complete(oldJson);
    Cached slow = slowReader.get(5, TimeUnit.SECONDS);
    assertEquals(CacheStatus.MISS, slow.status(), "the slow reader went through the fill path");

    for (int i = 0; i < 5; i++) {
      given().get("/api/products/" + id).then().statusCode(200).body("price_cents", equalTo(200));
    }
  }

  @Test
  void readersRacingWritersNeverSeeAValueOlderThanTheLastReturnedWrite() throws Exception {
    long id = Products.create("kitchen", 0);
    AtomicLong lastReturnedWrite = new AtomicLong(0);
    AtomicBoolean writing = new AtomicBoolean(true);
    List<String> violations = java.util.Collections.synchronizedList(new ArrayList<>());
    ExecutorService readers = Executors.newFixedThreadPool(4);
    List<Future<Integer>> reads = new ArrayList<>();
    for (int r = 0; r < 4; r++) {
      reads.add(
          readers.submit(
              () -> {
                int n = 0;
                while (writing.get()) {
                  long floor = lastReturnedWrite.get();
                  long seen = given().get("/api/products/" + id).jsonPath().getLong("price_cents");
                  if (seen < floor) {
                    violations.add("read " + seen + " after write " + floor + " had returned");
                  }
                  n++;
                }
                return n;
              }));
    }
    try {
      for (long price = 1; price <= 40; price++) {
        Products.setPrice(id, price);
        lastReturnedWrite.set(price);
      }
    } finally {
      writing.set(false);
    }
    int total = 0;
    for (Future<Integer> f : reads) {
      total += f.get(30, TimeUnit.SECONDS);
    }
    readers.shutdown();
    assertTrue(total > 40, "readers raced the writer (" + total + " reads)");
    assertEquals(List.of(), violations);
    given().get("/api/products/" + id).then().body("price_cents", equalTo(40));
  }
}
