package dev.souq.e2e;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;

import dev.souq.devstack.Component;
import dev.souq.testing.Tokens;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The shop over REST through the gateway, every service a separate process. */
@ExtendWith(RunningSouq.class)
class ShopFlowIT {
  private static SouqSystem system;

  @BeforeAll
  static void useTheRunningShop(SouqSystem running) {
    system = running;
  }

  private static RequestSpecification shop() {
    return given().baseUri(system.url());
  }

  @Test
  void anOrderIsPaidByTheWorkerThenShippedByTheOperator() {
    String session = system.guestSession();
    system.fillCart(session, 3, 2);
    long order = system.placeCart(session);

    // process_payment, run by worker-service, moves it to PAID by itself.
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                "PAID"
                    .equals(
                        shop()
                            .cookie("SOUQ_SESSION", session)
                            .get("/api/orders/" + order)
                            .then()
                            .extract()
                            .path("status")));

    shop()
        .header("Authorization", Tokens.ADMIN_BEARER)
        .contentType(ContentType.JSON)
        .body(Map.of("status", "SHIPPED"))
        .post("/api/orders/" + order + "/status")
        .then()
        .statusCode(200);
    shop()
        .cookie("SOUQ_SESSION", session)
        .get("/api/orders/" + order)
        .then()
        .statusCode(200)
        .body("status", equalTo("SHIPPED"))
        .body("history.status", contains("PENDING", "PAID", "SHIPPED"))
        .body("items[0].quantity", equalTo(2));
    // The confirmation mail job ran too.
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                shop()
                    .header("Authorization", Tokens.ADMIN_BEARER)
                    .get("/api/tasks/stats")
                    .then()
                    .body("types.send_order_confirmation.processed", greaterThanOrEqualTo(1)));
  }

  @Test
  void anAccountsConfirmationIsMailedToTheAccountsAddress() throws Exception {
    String email = "mailed-" + UUID.randomUUID() + "@example.com";
    String session =
        shop()
            .cookie("SOUQ_SESSION", system.guestSession())
            .contentType(ContentType.JSON)
            .body(Map.of("email", email, "password", "correct horse battery"))
            .post("/api/accounts")
            .then()
            .statusCode(201)
            .extract()
            .cookie("SOUQ_SESSION");
    system.fillCart(session, 4, 1);
    long order = system.placeCart(session);

    // The mock mailer (the shop keeps its mails here) logs each mail with its recipients.
    Pattern mailed =
        Pattern.compile(
            "Sending email Your Souq order #"
                + order
                + " from [^\\n]* to \\["
                + Pattern.quote(email)
                + "\\]");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> mailed.matcher(system.logged(Component.WORKER)).find());
  }
}
