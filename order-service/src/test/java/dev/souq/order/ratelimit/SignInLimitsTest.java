package dev.souq.order.ratelimit;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.souq.order.Shopper;
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
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Sign-in attempts at the defaults: 5 per minute per account, whatever the password, and 10 per
 * minute per client address for sign-ups and sign-ins together; each 429 names its budget.
 */
@QuarkusTest
@TestProfile(RateLimitTest.Limited.class)
@WithTestResource(value = SouqTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = CatalogTestResource.class, scope = TestResourceScope.GLOBAL)
class SignInLimitsTest {
  private static final String PASSWORD = "correct horse battery";

  @Test
  void guessingIsStoppedPerAccountThenPerAddress() {
    RedisCommand.run(TestStack.get().redisUrl(), "DEL", "rate_limit:sign-in:127.0.0.1");
    String email = "limited-" + UUID.randomUUID() + "@example.com";
    Shopper.start().signUp(email, PASSWORD); // 1 of the address's 10
    Shopper guesser = Shopper.start();
    for (int i = 0; i < 5; i++) {
      guesser.enter("/api/accounts/sign-in", email, "guess number " + i).then().statusCode(401);
    }
    // The sixth attempt on the account in a minute: refused before the password is even read,
    // so the right one does not get through either.
    Response sixth = guesser.enter("/api/accounts/sign-in", email, PASSWORD);
    sixth
        .then()
        .statusCode(429)
        .contentType("application/problem+json")
        .header("RateLimit-Policy", equalTo("\"account\";q=5;w=60"))
        .header("Retry-After", Integer::parseInt, greaterThan(0));

    // Other accounts from the same address: 7 spent so far, 3 left, then the address's budget.
    for (int i = 0; i < 3; i++) {
      guesser
          .enter("/api/accounts/sign-in", "other-" + i + "-" + email, PASSWORD)
          .then()
          .statusCode(401);
    }
    Response eleventh = guesser.enter("/api/accounts", "new-" + email, PASSWORD);
    eleventh.then().statusCode(429).header("RateLimit-Policy", containsString("\"sign-in\";q=10"));
    // The account's budget is kept under a digest of its email, not the email.
    String redis = TestStack.get().redisUrl();
    String digest = SessionStore.handle(email.toLowerCase(Locale.ROOT));
    assertEquals(1L, RedisCommand.call(redis, "EXISTS", "rate_limit:account:" + digest));
    assertEquals(List.of(), RedisCommand.list(redis, "KEYS", "*" + email + "*"));
  }
}
