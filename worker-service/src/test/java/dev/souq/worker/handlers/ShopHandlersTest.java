package dev.souq.worker.handlers;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.souq.shared.messages.Task;
import dev.souq.testing.Management;
import dev.souq.testing.SouqTestResource;
import dev.souq.testing.Tokens;
import dev.souq.worker.queue.Jobs;
import io.quarkus.mailer.Mail;
import io.quarkus.mailer.MockMailbox;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** The shop's handlers against a stand-in order-service API, with real Redis underneath. */
@QuarkusTest
@WithTestResource(value = SouqTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = OrderApiStub.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
class ShopHandlersTest {
  private static final String PAYMENTS_CHARGED = "souq_payments_total{outcome=\"charged\"}";
  private static final String PAYMENTS_REFUNDED = "souq_payments_total{outcome=\"refunded\"}";
  private static final String PAYMENTS_UNSETTLED = "souq_payments_total{outcome=\"unsettled\"}";

  @Inject RedisDataSource redis;
  @Inject MockMailbox mailbox;

  @ConfigProperty(name = "quarkus.rest-client.order.url")
  String orderApi;

  @Test
  void processPaymentMovesTheOrderToPaidWithTheServiceToken() {
    long order = 4200 + (System.nanoTime() % 100);
    Task task = Jobs.task("process_payment", Map.of("order_id", order), Jobs.name("pay"));
    Jobs.push(redis, task);

    JsonPath call =
        await()
            .atMost(Duration.ofSeconds(20))
            .until(() -> callTo("/api/orders/" + order + "/status"), c -> c != null);
    assertEquals("POST", call.getString("method"));
    assertEquals(Tokens.SERVICE_BEARER, call.getString("authorization"));
    io.vertx.core.json.JsonObject body = new io.vertx.core.json.JsonObject(call.getString("body"));
    assertEquals("PAID", body.getString("status"));
    // What was charged, for order-service to check against the order's total.
    assertEquals(1998, body.getLong("amount_cents"));
    assertEquals("EUR", body.getString("currency"));
    // The charge itself: the job, its attempt and the run's nonce.
    assertTrue(
        body.getString("payment")
            .matches(java.util.regex.Pattern.quote(task.id()) + "#0\\.[0-9a-f]{8}"),
        body.getString("payment"));
    // No amount in the payload: what the order owes is read first.
    assertEquals(1, callsTo("/api/orders/" + order), "the order read before its charge");
  }

  @Test
  void aFreshPaymentIsChargedFromItsPayloadWithoutReadingTheOrder() {
    long order = 4300 + (System.nanoTime() % 100);
    Payments before = payments();

    payFresh(order, "pay-fresh");
    assertEquals(1, callsTo("/api/orders/" + order + "/status"), "moved to PAID");
    assertEquals(0, callsTo("/api/orders/" + order), "read although the job said what it owes");
    assertEquals(before.charged() + 1, count(PAYMENTS_CHARGED));
  }

  @Test
  void aChargeWhoseMoveFailsIsRefundedAndItsRetryPays() {
    long order = OrderApiStub.FAILS_ONCE;
    Payments before = payments();

    // The retry reads the order, charges it again and marks it paid.
    payFresh(order, "pay-fails-once");
    assertEquals(2, callsTo("/api/orders/" + order + "/status"));
    assertEquals(before.charged() + 2, count(PAYMENTS_CHARGED));
    assertEquals(before.refunded() + 1, count(PAYMENTS_REFUNDED), "the first charge was kept");
    assertEquals(1, callsTo("/api/orders/" + order + "/payments/void"), "refunded unvoided");
  }

  @Test
  void aChargeWhoseMoveWasMadeButItsAnswerLostIsKept() {
    long order = OrderApiStub.ANSWER_LOST;
    Payments before = payments();

    // The order reads PAID after the failed move: its payment stays, and the retry takes none.
    payFresh(order, "pay-answer-lost");
    assertEquals(1, callsTo("/api/orders/" + order + "/status"));
    assertEquals(before.charged() + 1, count(PAYMENTS_CHARGED));
    assertEquals(
        before.refunded(), count(PAYMENTS_REFUNDED), "a PAID order's payment was given back");
    assertEquals(1, callsTo("/api/orders/" + order + "/payments/void"));
  }

  @Test
  void aChargeOrderServiceCannotSettleIsNeitherKeptNorRefundedAndCountedUnsettled() {
    long order = OrderApiStub.VOID_FAILS;
    Payments before = payments();
    double unsettled = count(PAYMENTS_UNSETTLED);

    // The move fails, and so does the void: nobody can say whether the charge paid the order.
    payFresh(order, "pay-void-fails");
    assertEquals(1, callsTo("/api/orders/" + order + "/payments/void"));
    assertEquals(before.charged() + 2, count(PAYMENTS_CHARGED), "the retry charged again");
    assertEquals(before.refunded(), count(PAYMENTS_REFUNDED), "refunded without knowing");
    assertEquals(unsettled + 1, count(PAYMENTS_UNSETTLED));
  }

  @Test
  void aRefundGivesBackWhatTheCancelledOrderWasPaidAndAMalformedOneIsADeadLetter() {
    double refunded = count(PAYMENTS_REFUNDED);
    Task refund =
        Jobs.task(
            "refund_payment",
            Map.of("order_id", 4500, "total_cents", 1998, "currency", "EUR", "payment", "p#0"),
            Jobs.name("refund"));
    Jobs.push(redis, refund);
    awaitFinished(refund);
    assertEquals(refunded + 1, count(PAYMENTS_REFUNDED));

    String key = Jobs.name("refund-malformed");
    Jobs.push(redis, Jobs.task("refund_payment", Map.of("order_id", 4501), key));
    Map<String, Object> dead = awaitOneDeadLetter(key);
    assertEquals("permanent_failure", dead.get("reason"));
    assertEquals(refunded + 1, count(PAYMENTS_REFUNDED), "refunded without an amount");
  }

  @Test
  void aRefundOfAnOrderPaidByNoChargeOfTheShopIsADeadLetterForAnOperator() {
    double refunded = count(PAYMENTS_REFUNDED);
    String key = Jobs.name("refund-unnamed");
    // The cancel of an order an operator marked PAID by hand: no charge to give back.
    Jobs.push(
        redis,
        Jobs.task(
            "refund_payment",
            Map.of("order_id", 4502, "total_cents", 1998, "currency", "EUR"),
            key));
    Map<String, Object> dead = awaitOneDeadLetter(key);
    assertEquals("permanent_failure", dead.get("reason"));
    assertTrue(
        ((String) dead.get("error")).contains("19.98 EUR by hand"),
        String.valueOf(dead.get("error")));
    assertEquals(refunded, count(PAYMENTS_REFUNDED), "refunded money the shop never took");
  }

  @Test
  void anOlderPaymentReadsTheOrderAlthoughItCarriesTheAmount() {
    long order = 4400 + (System.nanoTime() % 100);
    Map<String, Object> owed = Map.of("order_id", order, "total_cents", 1998, "currency", "EUR");
    Instant aMinuteAgo = Instant.now().minus(Duration.ofMinutes(1));
    Task task = Jobs.task("process_payment", owed, Jobs.name("pay-old"), aMinuteAgo);
    Jobs.push(redis, task);

    awaitFinished(task);
    // It may have waited out a cancel: the order's status decides, not the job.
    assertEquals(1, callsTo("/api/orders/" + order), "charged without reading the order");
    assertEquals(1, callsTo("/api/orders/" + order + "/status"));
  }

  @Test
  void aCancelledOrderIsNotChargedByAnOlderPayment() {
    long order = OrderApiStub.CANCELLED;
    Map<String, Object> owed = Map.of("order_id", order, "total_cents", 1998, "currency", "EUR");
    double charged = count(PAYMENTS_CHARGED);
    Task task =
        Jobs.task(
            "process_payment", owed, Jobs.name("pay-cancelled"), Instant.now().minusSeconds(60));
    Jobs.push(redis, task);

    awaitFinished(task);
    assertEquals(0, callsTo("/api/orders/" + order + "/status"), "a cancelled order moved");
    assertEquals(charged, count(PAYMENTS_CHARGED), "a cancelled order charged");
  }

  @Test
  void paymentForAnOrderThatDoesNotExistIsADeadLetterAtOnce() {
    String key = Jobs.name("pay-404");
    Jobs.push(redis, Jobs.task("process_payment", Map.of("order_id", 404), key));

    Map<String, Object> dead = awaitOneDeadLetter(key);
    assertEquals("permanent_failure", dead.get("reason"));
    assertEquals("order-service has no order 404", dead.get("error"));
  }

  @Test
  void aPaymentGivenUpIsReportedForTheOrdersTimeline() {
    String key = Jobs.name("pay-404-report");
    Jobs.push(redis, Jobs.task("process_payment", Map.of("order_id", 404), key));

    JsonPath report =
        await()
            .atMost(Duration.ofSeconds(20))
            .until(() -> callTo("/api/orders/404/jobs"), c -> c != null);
    assertEquals(Tokens.SERVICE_BEARER, report.getString("authorization"));
    JsonPath fate = new JsonPath(report.getString("body"));
    assertEquals("process_payment", fate.getString("type"));
    assertEquals("failed", fate.getString("outcome"));
    assertEquals(1, fate.getInt("attempt"));
    assertEquals(null, fate.getString("error"));
  }

  @Test
  void aPaymentTheOrderMachineRefusesIsNotRetried() {
    String key = Jobs.name("pay-409");
    Task task = Jobs.task("process_payment", Map.of("order_id", 409), key);
    double refunded = count(PAYMENTS_REFUNDED);
    Jobs.push(redis, task);

    // This job finished, not just any payment: its idempotency key says so.
    awaitFinished(task);
    assertTrue(Jobs.deadLettersWith(redis, key).isEmpty());
    assertEquals(1, callsTo("/api/orders/409/status"), "a 409 is an answer, not a retry");
    // It was charged before the move was refused: the charge goes back.
    assertEquals(refunded + 1, count(PAYMENTS_REFUNDED));
  }

  @Test
  void theConfirmationMailListsTheOrderAndGoesWhereTheOrderSaysNotTheJob() {
    long order = 7700 + (System.nanoTime() % 100);
    Jobs.push(
        redis,
        Jobs.task(
            "send_order_confirmation",
            Map.of("order_id", order, "email", "attacker@evil.example"),
            Jobs.name("mail")));

    List<Mail> mails =
        await()
            .atMost(Duration.ofSeconds(20))
            .until(
                () -> mailbox.getMailsSentTo("orders@souq.local"),
                list -> list.stream().anyMatch(m -> m.getSubject().contains("#" + order)));
    Mail mail = mails.stream().filter(m -> m.getSubject().contains("#" + order)).findFirst().get();
    assertTrue(mail.getText().contains("2 × Mint tea  19.98 EUR"), mail.getText());
    assertTrue(mail.getText().contains("Total: 19.98 EUR"), mail.getText());
    assertTrue(mailbox.getMailsSentTo("attacker@evil.example").isEmpty());
  }

  @Test
  void anAccountsConfirmationMailGoesToItsAddressNotTheShopsInbox() {
    Jobs.push(
        redis,
        Jobs.task(
            "send_order_confirmation",
            Map.of("order_id", OrderApiStub.ACCOUNTS),
            Jobs.name("mail-account")));

    Mail mail =
        await()
            .atMost(Duration.ofSeconds(20))
            .until(
                () -> mailbox.getMailsSentTo(OrderApiStub.ACCOUNTS_EMAIL), list -> !list.isEmpty())
            .get(0);
    assertTrue(mail.getSubject().contains("#" + OrderApiStub.ACCOUNTS), mail.getSubject());
    assertTrue(
        mailbox.getMailsSentTo("orders@souq.local").stream()
            .noneMatch(m -> m.getSubject().contains("#" + OrderApiStub.ACCOUNTS)));
  }

  @Test
  void anOrderCancelledBeforeItsConfirmationGetsNoMail() {
    String key = Jobs.name("mail-cancelled");
    Task task =
        Jobs.task("send_order_confirmation", Map.of("order_id", OrderApiStub.CANCELLED), key);
    Jobs.push(redis, task);

    // This job finished (its idempotency key says so), without a mail and without a failure.
    awaitFinished(task);
    assertTrue(
        mailbox.getMailsSentTo("orders@souq.local").stream()
            .noneMatch(m -> m.getSubject().contains("#" + OrderApiStub.CANCELLED)),
        "a cancelled order was confirmed");
    assertTrue(Jobs.deadLettersWith(redis, key).isEmpty());
  }

  /** Until this very job has finished: its idempotency key reads done with its id. */
  /** The payment counters at one moment. */
  private record Payments(double charged, double refunded) {}

  private static Payments payments() {
    return new Payments(count(PAYMENTS_CHARGED), count(PAYMENTS_REFUNDED));
  }

  /** Runs a fresh payment of the stub's total (19.98 EUR) for the order, to its end. */
  private void payFresh(long order, String name) {
    Map<String, Object> owed = Map.of("order_id", order, "total_cents", 1998, "currency", "EUR");
    Task task = Jobs.task("process_payment", owed, Jobs.name(name));
    Jobs.push(redis, task);
    awaitFinished(task);
  }

  /** The one dead letter of the job named {@code key}, once it is there. */
  private Map<String, Object> awaitOneDeadLetter(String key) {
    return await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> Jobs.deadLettersWith(redis, key), list -> list.size() == 1)
        .get(0);
  }

  private void awaitFinished(Task task) {
    Jobs.awaitDone(redis, task, Duration.ofSeconds(20));
  }

  /** How many the counter has counted; 0 before the payment handler's first job registers it. */
  private static double count(String series) {
    return Math.max(0, Management.metric(series));
  }

  private JsonPath callTo(String path) {
    JsonPath calls = given().baseUri(orderApi).get("/stub/calls").then().extract().jsonPath();
    List<Map<String, Object>> all = calls.getList("");
    for (int i = 0; i < all.size(); i++) {
      if (path.equals(all.get(i).get("path"))) {
        return calls.setRootPath("[" + i + "]");
      }
    }
    return null;
  }

  private long callsTo(String path) {
    return OrderApiStub.callsTo(orderApi, path);
  }
}
