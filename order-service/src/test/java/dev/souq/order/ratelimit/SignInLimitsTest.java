package dev.souq.order.ratelimit;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.souq.order.Shopper;
import dev.souq.order.service.Accounts;
import dev.souq.shared.session.SessionStore;
import dev.souq.testing.CatalogTestResource;
import dev.souq.testing.RedisCommand;
import dev.souq.testing.SouqTestResource;
import dev.souq.testing.TestStack;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import java.util.List;
import java.util.UUID;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/**
 * Sign-in attempts at the defaults: 5 per minute per account (sign-ups and sign-ins, whatever the
 * password), and 10 per minute per client address for both together; each 429 names its budget. A
 * budget refills one attempt per 12 s (account) or 6 s (address): the counts allow for what a slow
 * run lets refill, never more.
 */
@QuarkusTest
@TestProfile(RateLimitTest.Limited.class)
@WithTestResource(value = SouqTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = CatalogTestResource.class, scope = TestResourceScope.GLOBAL)
class SignInLimitsTest {
  private static final String PASSWORD = "correct horse battery";

  @Test
  void guessingIsStoppedPerAccountThenPerAddress() {
    String redis = TestStack.get().redisUrl();
    RedisCommand.run(redis, "DEL", "{rate_limit}:sign-in:127.0.0.1");
    String email = "limited-" + UUID.randomUUID() + "@example.com";
    long start = System.nanoTime();
    Shopper.start().signUp(email, PASSWORD); // one attempt of the account's and the address's
    Shopper guesser = Shopper.start();

    Counted account =
        untilRefused(i -> guesser.enter("/api/accounts/sign-in", email, "guess number " + i));
    // The right password does not get past it either: the budget is spent before it is read.
    guesser
        .enter("/api/accounts/sign-in", email, PASSWORD)
        .then()
        .statusCode(429)
        .header("RateLimit-Policy", equalTo("\"account\";q=5;w=60"));
    account
        .refusal()
        .then()
        .contentType("application/problem+json")
        .header("RateLimit-Policy", equalTo("\"account\";q=5;w=60"))
        .header("Retry-After", Integer::parseInt, greaterThan(0));
    assertWithin(account.admitted(), 4, seconds(start), 12);

    // Other accounts from this address: its own budget of 10 ends it.
    long spentByAddress = 1 + account.admitted() + 2;
    Counted address =
        untilRefused(i -> guesser.enter("/api/accounts/sign-in", i + "-" + email, PASSWORD));
    address.refusal().then().header("RateLimit-Policy", containsString("\"sign-in\";q=10"));
    assertWithin(spentByAddress + address.admitted(), 10, seconds(start), 6);

    // The account's budget is named by a digest of its email, not by the email.
    String digest = SessionStore.handle(Accounts.emailKey(email));
    assertEquals(1L, RedisCommand.call(redis, "EXISTS", "{rate_limit}:account:" + digest));
    assertEquals(List.of(), RedisCommand.list(redis, "KEYS", "{rate_limit}:*" + email + "*"));
  }

  /** What a run of attempts got: how many were let through (401s), and the 429 that ended it. */
  private record Counted(int admitted, Response refusal) {}

  private static Counted untilRefused(IntFunction<Response> attempt) {
    for (int i = 0; i < 40; i++) {
      Response response = attempt.apply(i);
      if (response.statusCode() == 429) {
        return new Counted(i, response);
      }
      assertEquals(401, response.statusCode(), response.asString());
    }
    throw new AssertionError("40 attempts and no 429");
  }

  /** {@code admitted} is the budget's {@code expected}, plus at most what refilled meanwhile. */
  private static void assertWithin(long admitted, int expected, double seconds, int perCell) {
    long refilled = (long) Math.ceil(seconds / perCell);
    assertTrue(
        admitted >= expected && admitted <= expected + refilled,
        admitted + " admitted in " + seconds + " s; expected " + expected + " + " + refilled);
  }

  private static double seconds(long since) {
    return (System.nanoTime() - since) / 1e9;
  }
}
