package dev.souq.order.account;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.souq.order.Shopper;
import dev.souq.testing.CatalogTestResource;
import dev.souq.testing.RedisCommand;
import dev.souq.testing.SouqTestResource;
import dev.souq.testing.TestStack;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Accounts: sign-up and sign-in carry the guest's cart and orders into the account under a new
 * session id; a wrong password and an unknown email are refused alike; a shopper lists and ends
 * their sessions.
 */
@QuarkusTest
@WithTestResource(value = SouqTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = CatalogTestResource.class, scope = TestResourceScope.GLOBAL)
class AccountsTest {
  private static final String PASSWORD = "correct horse battery";

  @Inject Pool pool;

  static String email() {
    return "shopper-" + UUID.randomUUID() + "@example.com";
  }

  @Test
  void signingUpAsAGuestKeepsTheCartAndTheOrdersUnderANewSessionId() {
    Shopper guest = Shopper.start();
    long order = guest.placeOrder(1, 1);
    guest.fillCart(2, 3);
    String email = email();

    Response entered = guest.enter("/api/accounts", email, PASSWORD);
    entered.then().statusCode(201).body("email", equalTo(email)).body("user_id", startsWith("a_"));
    String setCookie = entered.header("Set-Cookie");
    assertTrue(setCookie.contains("HttpOnly") && setCookie.contains("Secure"), setCookie);
    Shopper account =
        new Shopper(entered.cookie("SOUQ_SESSION"), entered.jsonPath().getString("user_id"));

    assertNotEquals(guest.session(), account.session(), "signing in rotates the session id");
    given().cookie("SOUQ_SESSION", guest.session()).get("/api/cart").then().statusCode(401);
    given()
        .cookie("SOUQ_SESSION", account.session())
        .get("/api/cart")
        .then()
        .statusCode(200)
        .body("items.product_id", contains(2))
        .body("items.quantity", contains(3));
    given()
        .cookie("SOUQ_SESSION", account.session())
        .get("/api/orders/" + order)
        .then()
        .statusCode(200);
  }

  @Test
  void signingInFromAGuestSessionBringsItsCartAndOrdersIntoTheAccount() {
    String email = email();
    Shopper first = Shopper.start().signUp(email, PASSWORD);
    long before = first.placeOrder(1, 1);

    Shopper guest = Shopper.start();
    long asGuest = guest.placeOrder(3, 1);
    guest.fillCart(4, 2);
    // The email's case does not matter.
    Shopper signedIn = guest.signIn(email.toUpperCase(), PASSWORD);

    assertEquals(first.userId(), signedIn.userId());
    assertNotEquals(guest.session(), signedIn.session());
    given()
        .cookie("SOUQ_SESSION", guest.session())
        .get("/api/sessions/current")
        .then()
        .statusCode(401);
    given()
        .cookie("SOUQ_SESSION", signedIn.session())
        .get("/api/cart")
        .then()
        .body("items.product_id", contains(4));
    List<Object> ids =
        given()
            .cookie("SOUQ_SESSION", signedIn.session())
            .get("/api/orders")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath()
            .getList("id");
    assertTrue(ids.contains((int) before) && ids.contains((int) asGuest), ids.toString());
    // The guest's user no longer owns what moved.
    given()
        .cookie("SOUQ_SESSION", Shopper.start().session())
        .get("/api/orders/" + asGuest)
        .then()
        .statusCode(404);
  }

  @Test
  void theOperatorsViewOfAnOrderNamesItsAccountsAddressAndTheOwnersDoesNot() {
    String email = email();
    Shopper account = Shopper.start().signUp(email, PASSWORD);
    long placed = account.placeOrder(1, 1);
    Shopper guest = Shopper.start();
    long asGuest = guest.placeOrder(2, 1);
    long stillGuests = Shopper.start().placeOrder(3, 1);
    guest.signIn(email, PASSWORD);

    // worker-service mails the confirmation to the address this view names.
    assertEquals(email, new JsonPath(Shopper.readAsOperator(placed)).getString("email"));
    assertEquals(email, new JsonPath(Shopper.readAsOperator(asGuest)).getString("email"));
    assertFalse(
        new JsonPath(Shopper.readAsOperator(stillGuests)).getMap("").containsKey("email"),
        "a guest's order has no address");
    given()
        .cookie("SOUQ_SESSION", account.session())
        .get("/api/orders/" + placed)
        .then()
        .statusCode(200)
        .body("$", not(hasKey("email")));
  }

  @Test
  void aWrongPasswordAndAnUnknownEmailAreRefusedAlike() {
    String email = email();
    Shopper.start().signUp(email, PASSWORD);
    Response wrongPassword =
        Shopper.start().enter("/api/accounts/sign-in", email, "not the password");
    Response unknownEmail = Shopper.start().enter("/api/accounts/sign-in", email(), PASSWORD);
    for (Response refused : List.of(wrongPassword, unknownEmail)) {
      refused
          .then()
          .statusCode(401)
          .contentType("application/problem+json")
          .body("detail", equalTo("The email or the password is wrong"));
    }
    assertEquals(wrongPassword.asString(), unknownEmail.asString());
    // The password is kept only as a bcrypt hash.
    String hash =
        pool.preparedQuery("SELECT password_hash FROM orders.account WHERE email = $1")
            .execute(Tuple.of(email))
            .await()
            .atMost(Duration.ofSeconds(5))
            .iterator()
            .next()
            .getString(0);
    assertTrue(hash.startsWith("$2a$10$") && !hash.contains(PASSWORD), hash);
  }

  @Test
  void anEmailHasOneAccountAndBadCredentialsAreClientErrors() {
    String email = email();
    Shopper.start().signUp(email, PASSWORD);
    Shopper.start()
        .enter("/api/accounts", email.toUpperCase(), PASSWORD)
        .then()
        .statusCode(409)
        .contentType("application/problem+json");
    Shopper guest = Shopper.start();
    guest.enter("/api/accounts", "not-an-email", PASSWORD).then().statusCode(400);
    guest.enter("/api/accounts", email(), "short").then().statusCode(400);
    // 40 two-byte characters: within 72 characters, past bcrypt's 72 bytes.
    guest.enter("/api/accounts", email(), "é".repeat(40)).then().statusCode(422);
    given()
        .contentType(ContentType.JSON)
        .body(Map.of("email", email(), "password", PASSWORD, "admin", true))
        .post("/api/accounts")
        .then()
        .statusCode(400);
  }

  @Test
  void signingIntoAnotherAccountLeavesTheFirstAccountsOrdersWithIt() {
    String firstEmail = email();
    Shopper first = Shopper.start().signUp(firstEmail, PASSWORD);
    long firstsOrder = first.placeOrder(1, 1);
    String second = email();
    Shopper.start().signUp(second, PASSWORD);

    Shopper switched = first.signIn(second, PASSWORD);
    given()
        .cookie("SOUQ_SESSION", switched.session())
        .get("/api/orders/" + firstsOrder)
        .then()
        .statusCode(404);
    Shopper back = Shopper.start().signIn(firstEmail, PASSWORD);
    given()
        .cookie("SOUQ_SESSION", back.session())
        .get("/api/orders/" + firstsOrder)
        .then()
        .statusCode(200);
  }

  @Test
  void aLookAlikeSpellingIsNotTheAccountNorItsBudget() {
    String email = "alice-" + UUID.randomUUID() + "@example.com";
    Shopper.start().signUp(email, PASSWORD);
    // Java lower-cases U+0130 to "i" and a combining dot: another address, whatever a database
    // locale would make of it. It neither signs into the account nor spends its budget's name.
    Shopper.start()
        .enter("/api/accounts/sign-in", email.replace("alice", "al\u0130ce"), PASSWORD)
        .then()
        .statusCode(401);
    Shopper.start()
        .enter("/api/accounts/sign-in", email.toUpperCase(), PASSWORD)
        .then()
        .statusCode(200);
  }

  @Test
  void aSignInWithoutContentTypeIsRefusedLikeAFormFromAnotherSite() {
    String email = email();
    Shopper.start().signUp(email, PASSWORD);
    String json = "{\"email\":\"" + email + "\",\"password\":\"" + PASSWORD + "\"}";
    // A page of another site can send a body with no Content-Type and no preflight.
    given()
        .body(json.getBytes(java.nio.charset.StandardCharsets.UTF_8))
        .post("/api/accounts/sign-in")
        .then()
        .statusCode(415)
        .contentType("application/problem+json");
    given().contentType("text/plain").body(json).post("/api/accounts").then().statusCode(415);
  }

  @Test
  void aShopperListsTheirSessionsAndEndsOneOrAllOthers() {
    String email = email();
    Shopper phone = Shopper.start().signUp(email, PASSWORD);
    Shopper laptop =
        new Shopper(
            given()
                .header("User-Agent", "LaptopBrowser/1.0")
                .contentType(ContentType.JSON)
                .body(Map.of("email", email, "password", PASSWORD))
                .post("/api/accounts/sign-in")
                .then()
                .statusCode(200)
                .extract()
                .cookie("SOUQ_SESSION"),
            phone.userId());
    Shopper tablet = Shopper.start().signIn(email, PASSWORD);

    List<Map<String, Object>> listed =
        given()
            .cookie("SOUQ_SESSION", laptop.session())
            .get("/api/sessions")
            .then()
            .statusCode(200)
            .body("", hasSize(3))
            .body("user_agent", hasItem("LaptopBrowser/1.0"))
            .extract()
            .jsonPath()
            .getList("");
    // Named by a digest: the page's script never holds another session's credential.
    for (Map<String, Object> entry : listed) {
      String id = (String) entry.get("id");
      assertTrue(
          !id.equals(phone.session())
              && !id.equals(laptop.session())
              && !id.equals(tablet.session()),
          id);
    }
    assertEquals(List.of(false, true, false), listed.stream().map(e -> e.get("current")).toList());

    String phoneId = (String) listed.get(0).get("id");
    given()
        .cookie("SOUQ_SESSION", laptop.session())
        .delete("/api/sessions/" + phoneId)
        .then()
        .statusCode(204);
    given().cookie("SOUQ_SESSION", phone.session()).get("/api/cart").then().statusCode(401);
    given()
        .cookie("SOUQ_SESSION", laptop.session())
        .delete("/api/sessions/" + phoneId)
        .then()
        .statusCode(404)
        .contentType("application/problem+json");

    given().cookie("SOUQ_SESSION", laptop.session()).delete("/api/sessions").then().statusCode(400);
    given()
        .cookie("SOUQ_SESSION", laptop.session())
        .queryParam("others", "true")
        .delete("/api/sessions")
        .then()
        .statusCode(204);
    given().cookie("SOUQ_SESSION", tablet.session()).get("/api/cart").then().statusCode(401);
    given()
        .cookie("SOUQ_SESSION", laptop.session())
        .get("/api/sessions")
        .then()
        .body("current", contains(true));
  }

  @Test
  void signingIntoAnotherAccountFromASignedInSessionBringsNoCart() {
    // A shared browser: Alice is signed in with a cart; Bob signs in on it.
    Shopper alice = Shopper.start().signUp(email(), PASSWORD);
    alice.fillCart(4, 2);
    String bobsEmail = email();
    Shopper.start().signUp(bobsEmail, PASSWORD);

    Shopper bob = alice.signIn(bobsEmail, PASSWORD);

    assertNotEquals(alice.userId(), bob.userId());
    given()
        .cookie("SOUQ_SESSION", bob.session())
        .get("/api/cart")
        .then()
        .statusCode(200)
        .body("items", org.hamcrest.Matchers.empty());
  }

  @Test
  void signingIntoTheSameAccountAgainKeepsItsCart() {
    String email = email();
    Shopper alice = Shopper.start().signUp(email, PASSWORD);
    alice.fillCart(4, 2);

    Shopper again = alice.signIn(email, PASSWORD);

    given()
        .cookie("SOUQ_SESSION", again.session())
        .get("/api/cart")
        .then()
        .statusCode(200)
        .body("items.product_id", contains(4));
  }

  @Test
  void aListingDropsFromTheIndexOnlySessionsGoneLongAgoNotOneBeingOpened() {
    Shopper alice = Shopper.start().signUp(email(), PASSWORD);
    String redis = TestStack.get().redisUrl();
    String index = "account_sessions:" + alice.userId();
    long now = System.currentTimeMillis();
    // Indexed and not written yet, as a sign-in elsewhere leaves it for a moment; and one that
    // ended by itself long ago.
    String opening = "opening-" + UUID.randomUUID();
    String ended = "ended-" + UUID.randomUUID();
    RedisCommand.call(redis, "ZADD", index, Long.toString(now), opening);
    RedisCommand.call(redis, "ZADD", index, Long.toString(now - 120_000), ended);

    given().cookie("SOUQ_SESSION", alice.session()).get("/api/sessions").then().statusCode(200);

    assertNotNull(RedisCommand.call(redis, "ZSCORE", index, opening), "the one being opened");
    assertNull(RedisCommand.call(redis, "ZSCORE", index, ended), "the one gone long ago");
  }

  @Test
  void anotherShoppersSessionCannotBeEnded() {
    Shopper mallory = Shopper.start().signUp(email(), PASSWORD);
    Shopper alice = Shopper.start().signUp(email(), PASSWORD);
    String alicesId =
        given()
            .cookie("SOUQ_SESSION", alice.session())
            .get("/api/sessions")
            .jsonPath()
            .getString("[0].id");
    given()
        .cookie("SOUQ_SESSION", mallory.session())
        .delete("/api/sessions/" + alicesId)
        .then()
        .statusCode(404);
    given().cookie("SOUQ_SESSION", alice.session()).get("/api/cart").then().statusCode(200);
  }

  @Test
  void aGuestSeesOnlyItsOwnSessionAndSigningInPastTheMostEndsTheOldest() {
    Shopper guest = Shopper.start();
    given()
        .cookie("SOUQ_SESSION", guest.session())
        .get("/api/sessions")
        .then()
        .statusCode(200)
        .body("current", contains(true));

    String email = email();
    Shopper oldest = Shopper.start().signUp(email, PASSWORD);
    for (int i = 0; i < 10; i++) {
      Shopper.start().signIn(email, PASSWORD);
    }
    // Ten at most (ORDER_ACCOUNTS_MAX_SESSIONS): the eleventh sign-in ended the first.
    given().cookie("SOUQ_SESSION", oldest.session()).get("/api/cart").then().statusCode(401);
    assertEquals(
        10L,
        RedisCommand.call(
            TestStack.get().redisUrl(), "ZCARD", "account_sessions:" + oldest.userId()));
  }
}
