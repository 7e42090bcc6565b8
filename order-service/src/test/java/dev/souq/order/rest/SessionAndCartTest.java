package dev.souq.order.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.souq.order.Shopper;
import dev.souq.shared.json.JsonText;
import dev.souq.shared.session.Session;
import dev.souq.shared.session.SessionStore;
import dev.souq.testing.CatalogTestResource;
import dev.souq.testing.RedisCommand;
import dev.souq.testing.SouqTestResource;
import dev.souq.testing.TestStack;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@QuarkusTest
@WithTestResource(value = SouqTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = CatalogTestResource.class, scope = TestResourceScope.GLOBAL)
class SessionAndCartTest {
  @Inject SessionStore sessions;
  @Inject ObjectMapper json;

  @Test
  void sessionCookieIsOpaqueHttpOnlyAndLax() {
    var response = Shopper.startSession().then().statusCode(201).extract().response();
    String setCookie = response.header("Set-Cookie");
    assertTrue(setCookie.contains("HttpOnly"), setCookie);
    assertTrue(setCookie.contains("SameSite=Lax"), setCookie);
    assertTrue(setCookie.contains("Path=/"), setCookie);
    assertTrue(setCookie.contains("Secure"), "Secure by default, not by scheme: " + setCookie);
    String id = response.cookie("SOUQ_SESSION");
    assertTrue(id.length() >= 43, "256-bit id: " + id);
    assertTrue(response.jsonPath().getString("user_id").startsWith("u_"));
    given()
        .cookie("SOUQ_SESSION", id)
        .get("/api/sessions/current")
        .then()
        .statusCode(200)
        .body("session_id", equalTo(id));
  }

  @Test
  void aCrossSiteFormPostCannotReplaceTheShoppersSession() {
    Shopper victim = Shopper.start();
    var none = given().cookie("SOUQ_SESSION", victim.session()).post("/api/sessions");
    assertRefused(none.then().statusCode(415).extract().response(), "no Content-Type");
    // A form's types, and what JSON endpoints refuse too: a wildcard, a charset not UTF-8.
    for (String type :
        new String[] {
          "application/x-www-form-urlencoded",
          "text/plain",
          "*/*",
          "application/*",
          "application/json; charset=latin1",
          "application/json; charset=utf-16"
        }) {
      var refused = victim.postAs("/api/sessions", type).then().statusCode(415).extract();
      assertRefused(refused.response(), type);
    }
    given()
        .cookie("SOUQ_SESSION", victim.session())
        .get("/api/sessions/current")
        .then()
        .statusCode(200)
        .body("session_id", equalTo(victim.session()));
  }

  private static void assertRefused(io.restassured.response.Response refused, String type) {
    assertEquals(null, refused.header("Set-Cookie"), type);
    assertEquals("application/problem+json", refused.contentType(), type);
  }

  @Test
  void startingASessionWithAValidOneKeepsIt() {
    Shopper shopper = Shopper.start();
    given()
        .cookie("SOUQ_SESSION", shopper.session())
        .contentType(ContentType.JSON)
        .body("{}")
        .post("/api/sessions")
        .then()
        .statusCode(200)
        .body("session_id", equalTo(shopper.session()))
        .body("user_id", equalTo(shopper.userId()));
    String fresh =
        given()
            .cookie("SOUQ_SESSION", "A".repeat(43))
            .contentType(ContentType.JSON)
            .body("{}")
            .post("/api/sessions")
            .then()
            .statusCode(201)
            .extract()
            .cookie("SOUQ_SESSION");
    assertNotEquals(shopper.session(), fresh);
  }

  @Test
  void aSessionEndsAfterItsAbsoluteLifetimeHoweverBusy() {
    Shopper shopper = Shopper.start();
    String key = "session:" + shopper.session();
    String redis = TestStack.get().redisUrl();
    // 100 s of its life left: a use renews it for those only, so its key ends with it.
    createdAgo(key, SessionStore.MAX_LIFETIME.minusSeconds(100));
    given().cookie("SOUQ_SESSION", shopper.session()).get("/api/cart").then().statusCode(200);
    long ttl = (Long) RedisCommand.call(redis, "TTL", key);
    assertTrue(ttl > 0 && ttl <= 100, "TTL capped by the lifetime left, was " + ttl);
    // And the session says so: it expires with its lifetime, not an hour from now.
    Instant expires =
        Instant.parse(
            given()
                .cookie("SOUQ_SESSION", shopper.session())
                .get("/api/sessions/current")
                .then()
                .statusCode(200)
                .extract()
                .path("expires_at"));
    assertTrue(
        expires.isBefore(Instant.now().plusSeconds(101)), "expires_at " + expires + ", 100 s left");
    createdAgo(key, SessionStore.MAX_LIFETIME.plusSeconds(60));
    given()
        .cookie("SOUQ_SESSION", shopper.session())
        .get("/api/sessions/current")
        .then()
        .statusCode(401);
    assertEquals(0L, RedisCommand.call(redis, "EXISTS", key), "deleted, for its WebSockets too");
  }

  /** Rewrites the stored session as if it had been created {@code ago}. */
  private static void createdAgo(String key, java.time.Duration ago) {
    String redis = TestStack.get().redisUrl();
    String stored = (String) RedisCommand.call(redis, "GET", key);
    String created = Instant.now().minus(ago).toString();
    RedisCommand.call(
        redis,
        "SET",
        key,
        stored.replaceFirst("\"created_at\":\"[^\"]+\"", "\"created_at\":\"" + created + "\""),
        "EX",
        "3600");
  }

  @Test
  void sessionTtlSlidesOnUse() {
    Shopper shopper = Shopper.start();
    String key = "session:" + shopper.session();
    RedisCommand.run(TestStack.get().redisUrl(), "EXPIRE", key, "100");
    assertTrue(
        Long.parseLong(RedisCommand.run(TestStack.get().redisUrl(), "TTL", key).substring(1))
            <= 100);
    given().cookie("SOUQ_SESSION", shopper.session()).get("/api/cart").then().statusCode(200);
    long ttl =
        Long.parseLong(RedisCommand.run(TestStack.get().redisUrl(), "TTL", key).substring(1));
    assertTrue(ttl > 3500, "renewed to ~3600 s, was " + ttl);
  }

  @Test
  void logoutKillsTheSessionAndForgedIdsAreRejected() {
    Shopper shopper = Shopper.start();
    given()
        .cookie("SOUQ_SESSION", shopper.session())
        .delete("/api/sessions/current")
        .then()
        .statusCode(204);
    given()
        .cookie("SOUQ_SESSION", shopper.session())
        .get("/api/cart")
        .then()
        .statusCode(401)
        .contentType("application/problem+json");
    for (String forged : List.of("x", "a".repeat(43), "../../etc", "' OR 1=1 --")) {
      given().cookie("SOUQ_SESSION", forged).get("/api/sessions/current").then().statusCode(401);
    }
    given().get("/api/orders").then().statusCode(401);
  }

  /**
   * A request that read the session before its shopper signed out writes its change after: the
   * session stays ended, instead of coming back unlisted (out of reach of "sign out everywhere").
   */
  @Test
  void aSessionChangedAfterItEndedStaysEnded() {
    Shopper shopper = Shopper.start();
    Session read = sessions.find(shopper.session()).await().atMost(Duration.ofSeconds(5));
    given()
        .cookie("SOUQ_SESSION", shopper.session())
        .delete("/api/sessions/current")
        .then()
        .statusCode(204);
    boolean written =
        sessions
            .update(read.withCart(List.of(new Session.CartItem(3, 1))))
            .await()
            .atMost(Duration.ofSeconds(5));
    assertFalse(written, "an ended session is not written");
    assertEquals(
        "0",
        RedisCommand.run(TestStack.get().redisUrl(), "EXISTS", "session:" + shopper.session())
            .substring(1));
    given().cookie("SOUQ_SESSION", shopper.session()).get("/api/cart").then().statusCode(401);
  }

  /**
   * A change built on the session as read (a placed order taken out of the cart) is built again on
   * what another request wrote between that read and its write, instead of undoing it.
   */
  @Test
  void aChangeIsBuiltAgainOnAWriteMadeSinceItsRead() {
    Shopper shopper = Shopper.start();
    Session.CartItem ordered = new Session.CartItem(3, 2);
    Session.CartItem added = new Session.CartItem(5, 1);
    String key = "session:" + shopper.session();
    AtomicInteger reads = new AtomicInteger();
    boolean written =
        sessions
            .modify(
                shopper.session(),
                now -> {
                  if (reads.incrementAndGet() == 1) {
                    // Another tab's cart edit, written after this read (straight to Redis: this
                    // runs on the event loop, whose HTTP answer would wait for it).
                    RedisCommand.call(
                        TestStack.get().redisUrl(),
                        "SET",
                        key,
                        JsonText.write(json, now.withCart(List.of(ordered, added))),
                        "KEEPTTL");
                  }
                  return now.less(List.of(ordered));
                })
            .await()
            .atMost(Duration.ofSeconds(5));

    assertTrue(written);
    assertEquals(2, reads.get(), "read again after the write made since");
    given()
        .cookie("SOUQ_SESSION", shopper.session())
        .get("/api/cart")
        .then()
        .statusCode(200)
        .body("items", hasSize(1))
        .body("items[0].product_id", equalTo(5))
        .body("items[0].quantity", equalTo(1));
  }

  @Test
  void cartIsKeptInTheSession() {
    Shopper shopper = Shopper.start();
    given()
        .cookie("SOUQ_SESSION", shopper.session())
        .get("/api/cart")
        .then()
        .body("items", hasSize(0));
    given()
        .cookie("SOUQ_SESSION", shopper.session())
        .contentType(ContentType.JSON)
        .body(Map.of("items", List.of(Map.of("product_id", 3, "quantity", 2))))
        .put("/api/cart")
        .then()
        .statusCode(200)
        .body("items[0].product_id", equalTo(3));
    given()
        .cookie("SOUQ_SESSION", shopper.session())
        .get("/api/cart")
        .then()
        .body("items[0].quantity", equalTo(2));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"items\":[{\"product_id\":1,\"quantity\":0}]}",
        "{\"items\":[{\"product_id\":1,\"quantity\":100}]}",
        "{\"items\":[{\"product_id\":-1,\"quantity\":1}]}",
        "{\"items\":[{\"product_id\":\"x\",\"quantity\":1}]}",
        "{\"items\":[{\"product_id\":1}]}",
        "{\"items\":[null]}",
        "{\"items\":[{\"product_id\":1,\"quantity\":1,\"price_cents\":1}]}",
        "{\"items\":",
        "HUGE"
      })
  void badCartsAre400Problems(String body) {
    String payload =
        body.equals("HUGE")
            ? "{\"items\":["
                + String.join(",", Collections.nCopies(51, "{\"product_id\":1,\"quantity\":1}"))
                + "]}"
            : body;
    Shopper shopper = Shopper.start();
    given()
        .cookie("SOUQ_SESSION", shopper.session())
        .contentType(ContentType.JSON)
        .body(payload)
        .put("/api/cart")
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("detail", not(containsString("Exception")));
  }
}
