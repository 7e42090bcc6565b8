package dev.souq.worker.handlers;

import com.fasterxml.jackson.databind.JsonNode;
import dev.souq.shared.messages.Task;
import dev.souq.worker.client.Orders;
import dev.souq.worker.config.WorkerConfig;
import dev.souq.worker.handler.Handles;
import dev.souq.worker.handler.TaskHandler;
import io.quarkus.logging.Log;
import io.quarkus.mailer.Mail;
import io.quarkus.mailer.reactive.ReactiveMailer;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateData;
import io.quarkus.runtime.LaunchMode;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * E-mails the order confirmation to the order's address: reads the order from order-service,
 * renders {@code templates/order-confirmation.txt} and sends it through Quarkus Mailer. While the
 * mailer is the mock (quarkus.mailer.mock, the default until SMTP is configured) the mail is only
 * logged, unless {@code worker.shop.keep-mock-mails} hands it to the mock mailbox for a test. Sent
 * once per order: the job's idempotency key guards against repeats.
 */
@ApplicationScoped
@Handles(value = "send_order_confirmation", timeoutSeconds = 30)
public class SendOrderConfirmationHandler implements TaskHandler {
  private final Orders orders;
  private final ReactiveMailer mailer;
  private final Template confirmation;
  private final WorkerConfig config;
  private final boolean logOnly;

  SendOrderConfirmationHandler(
      Orders orders,
      ReactiveMailer mailer,
      @Location("order-confirmation.txt") Template confirmation,
      WorkerConfig config,
      @ConfigProperty(name = "quarkus.mailer.mock") Optional<Boolean> mock) {
    this.orders = orders;
    this.mailer = mailer;
    this.confirmation = confirmation;
    this.config = config;
    // Unset, Quarkus' own default: the mock in dev and test mode, SMTP in production.
    boolean mocked = mock.orElseGet(() -> LaunchMode.current().isDevOrTest());
    this.logOnly = mocked && !config.shop().keepMockMails();
  }

  @Override
  public Uni<Void> handle(Task task) {
    long id = OrderIds.of(task);
    return orders
        .get(id)
        .chain(
            order -> {
              // The shopper took it back before this job ran: nothing to confirm.
              if ("CANCELLED".equals(order.path("status").asText())) {
                Log.infof("Order %d was cancelled: no confirmation mail", id);
                return Uni.createFrom().voidItem();
              }
              if (logOnly) {
                // Neither the address nor the order's contents: a log is not a mailbox.
                Log.infof("Order %d: confirmation not sent, the mailer is the mock", id);
                return Uni.createFrom().voidItem();
              }
              return confirmation
                  .data("order", new OrderMail(order))
                  .createUni()
                  .chain(
                      body ->
                          mailer.send(
                              Mail.withText(recipient(order), "Your Souq order #" + id, body)));
            });
  }

  /**
   * The order's own address; guest orders have none, so the shop's confirmation inbox. Never one
   * from the job: whoever can queue a job must not be able to mail an order's contents anywhere.
   */
  private String recipient(JsonNode order) {
    String email = order.path("email").asText("");
    return email.isBlank() ? config.shop().confirmationRecipient() : email;
  }

  /** What the template shows of an order. */
  @TemplateData
  public record OrderMail(JsonNode order) {
    public long id() {
      return order.path("id").asLong();
    }

    public String total() {
      return Money.format(order.path("total_cents").asLong(), order.path("currency").asText());
    }

    public java.util.List<Line> lines() {
      java.util.List<Line> lines = new java.util.ArrayList<>();
      for (JsonNode item : order.path("items")) {
        lines.add(
            new Line(
                item.path("quantity").asInt(),
                item.path("name").asText(),
                Money.format(
                    item.path("unit_price_cents").asLong() * item.path("quantity").asInt(),
                    order.path("currency").asText())));
      }
      return lines;
    }
  }

  /** One line of the mail. */
  @TemplateData
  public record Line(int quantity, String name, String amount) {}
}
