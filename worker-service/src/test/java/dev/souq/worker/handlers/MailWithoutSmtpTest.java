package dev.souq.worker.handlers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.souq.shared.messages.Task;
import dev.souq.testing.CapturedLog;
import dev.souq.testing.SouqTestResource;
import dev.souq.worker.queue.Jobs;
import io.quarkus.mailer.MockMailbox;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * The default until SMTP is configured: the mock mailer, whose mailbox would keep every mail in
 * memory for as long as the worker runs. A confirmation is then logged and dropped.
 */
@QuarkusTest
@TestProfile(MailWithoutSmtpTest.AsDeployed.class)
@WithTestResource(value = SouqTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = OrderApiStub.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
class MailWithoutSmtpTest {
  /** The mailer's mock as a deployment has it: no mailbox kept. */
  public static class AsDeployed implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("quarkus.mailer.mock", "true", "worker.shop.keep-mock-mails", "false");
    }
  }

  @Inject RedisDataSource redis;
  @Inject MockMailbox mailbox;

  @ConfigProperty(name = "quarkus.rest-client.order.url")
  String orderApi;

  @Test
  void aConfirmationIsDoneWithoutBeingKeptInMemory() {
    long order = 7900 + (System.nanoTime() % 100);
    String key = Jobs.name("mail-unkept");
    Task task = Jobs.task("send_order_confirmation", Map.of("order_id", order), key);
    List<String> logged;
    try (CapturedLog log =
        CapturedLog.of(SendOrderConfirmationHandler.class.getName(), Level.ALL)) {
      Jobs.push(redis, task);

      // Done (its idempotency key says so) after reading the order, as a mail that is sent.
      Jobs.awaitDone(redis, task, Duration.ofSeconds(20));
      logged = log.messages();
    }
    assertEquals(
        1,
        OrderApiStub.callsTo(orderApi, "/api/orders/" + order),
        "the order read for its confirmation");
    assertTrue(Jobs.deadLettersWith(redis, key).isEmpty());
    assertEquals(0, mailbox.getTotalMessagesSent(), "the mock mailbox kept the confirmation");
    // One line says so, with neither the address nor what was ordered.
    List<String> about = logged.stream().filter(m -> m.contains("Order " + order)).toList();
    assertEquals(1, about.size(), logged.toString());
    assertTrue(about.get(0).contains("not sent"), about.get(0));
    assertTrue(
        logged.stream().noneMatch(m -> m.contains("@") || m.contains("Mint tea")),
        logged.toString());
  }
}
