package dev.souq.order.ratelimit;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.souq.order.Shopper;
import dev.souq.testing.CatalogTestResource;
import dev.souq.testing.RedisCommand;
import dev.souq.testing.SouqTestResource;
import dev.souq.testing.TestStack;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The shared per-IP limiter, on in this profile at its default of 100 per minute. */
@QuarkusTest
@TestProfile(RateLimitTest.Limited.class)
@WithTestResource(value = SouqTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = CatalogTestResource.class, scope = TestResourceScope.GLOBAL)
class RateLimitTest {

  /**
   * The limiter at its production default; a Redis timeout a loaded test machine cannot hit, so a
   * slow first answer does not fail requests open.
   */
  public static class Limited implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("souq.rate-limit.per-minute", "100", "souq.rate-limit.redis-timeout", "10s");
    }
  }

  /**
   * Gives 127.0.0.1 a fresh budget. A replica remembers a refusal until its Retry-After (at most
   * 600 ms here), on each event loop, so after the DEL it waits until requests on fresh
   * connections, spread over the event loops, are admitted again; then it DELs once more.
   */
  static void freshBudget() {
    RedisCommand.run(TestStack.get().redisUrl(), "DEL", "{rate_limit}:127.0.0.1");
    AtomicInteger admittedInARow = new AtomicInteger();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> {
              boolean admitted = given().get("/api/sessions/current").statusCode() != 429;
              return (admitted ? admittedInARow.incrementAndGet() : admittedInARow.getAndSet(0))
                  >= 8;
            });
    RedisCommand.run(TestStack.get().redisUrl(), "DEL", "{rate_limit}:127.0.0.1");
  }

  @Test
  void the101stRequestInAMinuteIs429WithTheIetfHeadersAndXffChangesNothing() {
    freshBudget();
    long start = System.nanoTime();
    int allowed = 0;
    Response refused = null;
    for (int i = 0; i < 200 && refused == null; i++) {
      Response r = given().get("/api/sessions/current");
      if (r.statusCode() == 429) {
        refused = r;
      } else {
        allowed++;
        r.then().header("RateLimit-Policy", containsString("q=100;w=60"));
      }
    }
    // GCRA: a burst of 100, then one more per 600 ms of the time the loop took.
    long refills = (System.nanoTime() - start) / 600_000_000L + 1;
    assertTrue(refused != null, "no 429 in 200 requests");
    assertTrue(allowed >= 100 && allowed <= 100 + refills, "allowed " + allowed);
    refused
        .then()
        .contentType("application/problem+json")
        .header("Retry-After", notNullValue())
        .header("RateLimit-Policy", containsString("q=100"))
        .header("RateLimit", containsString("r=0"));

    // A client that claims another address is still itself: the socket peer is no trusted proxy.
    // (Its own, fresh budget would allow all five; a refill of 127.0.0.1's may allow one.)
    int spoofedRefused = 0;
    for (int i = 0; i < 5; i++) {
      if (given().header("X-Forwarded-For", "203.0.113.9").get("/api/sessions/current").statusCode()
          == 429) {
        spoofedRefused++;
      }
    }
    assertTrue(spoofedRefused >= 3, "spoofed X-Forwarded-For got a budget of its own");
    // Operators are not shoppers.
    Shopper.changeStatus(987654321L, "PAID").then().statusCode(404);
    RedisCommand.run(TestStack.get().redisUrl(), "DEL", "{rate_limit}:127.0.0.1");
  }
}
