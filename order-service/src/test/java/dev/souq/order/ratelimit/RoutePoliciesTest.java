package dev.souq.order.ratelimit;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.souq.order.Shopper;
import dev.souq.testing.CatalogTestResource;
import dev.souq.testing.RedisCommand;
import dev.souq.testing.SouqTestResource;
import dev.souq.testing.TestStack;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Routes with a budget of their own, at the defaults: new sessions 20 per minute per address,
 * orders 10 per minute per session (and per-ip as well), each named in RateLimit-Policy.
 */
@QuarkusTest
@TestProfile(RateLimitTest.Limited.class)
@WithTestResource(value = SouqTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = CatalogTestResource.class, scope = TestResourceScope.GLOBAL)
class RoutePoliciesTest {
  private static final String SESSIONS = "{rate_limit}:sessions:127.0.0.1";

  @AfterEach
  void freshBudgets() {
    // Other tests of this profile start sessions: give them back a budget, past the refusals the
    // event loops remember (at most one interval, 3 s), as RateLimitTest.freshBudget does.
    RedisCommand.run(TestStack.get().redisUrl(), "DEL", SESSIONS);
    AtomicInteger inARow = new AtomicInteger();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> {
              boolean admitted = newSession().statusCode() != 429;
              return (admitted ? inARow.incrementAndGet() : inARow.getAndSet(0)) >= 8;
            });
    RedisCommand.run(TestStack.get().redisUrl(), "DEL", SESSIONS);
    RateLimitTest.freshBudget();
  }

  @Test
  void newSessionsHaveABudgetOfTheirOwnPerAddress() {
    RateLimitTest.freshBudget();
    RedisCommand.run(TestStack.get().redisUrl(), "DEL", SESSIONS);
    long start = System.nanoTime();
    Counted run = untilRefused(RoutePoliciesTest::newSession, 60);
    long refills = (System.nanoTime() - start) / 3_000_000_000L + 1; // one per 3 s
    assertTrue(run.allowed >= 20 && run.allowed <= 20 + refills, "allowed " + run.allowed);
    run.refused
        .then()
        .header("RateLimit-Policy", equalTo("\"sessions\";q=20;w=60"))
        .header("RateLimit", containsString("\"sessions\";r=0"))
        .body("detail", containsString("(sessions)"));
    // Another spelling of the same route spends the same budget: refused, or, if a cell came back
    // since the refusal (one per 3 s, and the refusal may have fallen just before one), admitted
    // with that cell, leaving none.
    for (String path : new String[] {"/api/sessions/", "//api/sessions", "/api/sessions;x=1"}) {
      Response spelled = given().contentType(ContentType.JSON).body("{}").post(path);
      spelled.then().header("RateLimit-Policy", equalTo("\"sessions\";q=20;w=60"));
      if (spelled.statusCode() != 429) {
        spelled.then().statusCode(201).header("RateLimit", containsString("\"sessions\";r=0"));
      }
    }
    // The per-ip budget is another: the rest of the API still answers.
    given()
        .get("/api/sessions/current")
        .then()
        .statusCode(401)
        .header("RateLimit-Policy", equalTo("\"per-ip\";q=100;w=60"));
  }

  @Test
  void eachSessionHasItsOwnOrderBudgetBehindOneAddress() {
    RateLimitTest.freshBudget();
    Shopper first = Shopper.start();
    Shopper second = Shopper.start();
    long start = System.nanoTime();
    Counted run = untilRefused(() -> emptyOrder(first), 30);
    long refills = (System.nanoTime() - start) / 6_000_000_000L + 1; // one per 6 s
    assertTrue(run.allowed >= 10 && run.allowed <= 10 + refills, "allowed " + run.allowed);
    run.refused.then().header("RateLimit-Policy", equalTo("\"orders\";q=10;w=60"));
    // Same address, another session: its own budget (the empty cart is refused, not limited).
    emptyOrder(second)
        .then()
        .statusCode(422)
        .header("RateLimit-Policy", equalTo("\"orders\";q=10;w=60"))
        .header("RateLimit", containsString("\"orders\";r=9"));
  }

  private static Response newSession() {
    return Shopper.startSession();
  }

  /** An order of the (empty) cart: spends the budgets, writes nothing (422). */
  private static Response emptyOrder(Shopper shopper) {
    return given()
        .cookie("SOUQ_SESSION", shopper.session())
        .contentType(ContentType.JSON)
        .body("{\"items\":[]}")
        .post("/api/orders");
  }

  private record Counted(int allowed, Response refused) {}

  private static Counted untilRefused(Supplier<Response> request, int atMost) {
    int allowed = 0;
    for (int i = 0; i < atMost; i++) {
      Response response = request.get();
      if (response.statusCode() == 429) {
        return new Counted(allowed, response);
      }
      allowed++;
    }
    assertNotNull(null, "no 429 in " + atMost + " requests");
    return null;
  }
}
