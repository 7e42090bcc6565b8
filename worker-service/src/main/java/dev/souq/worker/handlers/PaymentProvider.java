package dev.souq.worker.handlers;

import dev.souq.worker.config.WorkerConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;

/**
 * The simulated payment provider: charges after {@code worker.shop.payment-delay}, once it has
 * declined the first {@code worker.shop.payment-declines} attempts, and gives charges back,
 * counting both ({@code souq_payments_total}). A real provider would be given the amount and an
 * idempotency key, the charge's name, so that a call repeated after a lost answer takes or gives
 * back nothing twice.
 */
@ApplicationScoped
class PaymentProvider {
  private final WorkerConfig config;
  private final Vertx vertx;
  private final Counter charged;
  private final Counter refunded;
  private final Counter unsettled;

  PaymentProvider(WorkerConfig config, Vertx vertx, MeterRegistry registry) {
    this.config = config;
    this.vertx = vertx;
    this.charged = payments(registry, "charged");
    this.refunded = payments(registry, "refunded");
    this.unsettled = payments(registry, "unsettled");
  }

  private static Counter payments(MeterRegistry registry, String outcome) {
    return Counter.builder("souq.payments")
        .tag("outcome", outcome)
        .description(
            "Payments the simulated provider took, those it gave back, and those neither kept nor"
                + " given back because order-service could not be asked (an operator's to settle)")
        .register(registry);
  }

  /** Charges, unless this is one of the first attempts it declines ({@code earlier} were made). */
  Uni<Void> charge(int earlier) {
    if (earlier < config.shop().paymentDeclines()) {
      return Uni.createFrom().failure(new IllegalStateException("Card declined (simulated)"));
    }
    Duration delay = config.shop().paymentDelay();
    Uni<Void> approved =
        delay.isZero()
            ? Uni.createFrom().voidItem()
            // A Vert.x timer, not Mutiny's delay: it fires on the job's own context, so the move
            // to PAID that follows stays in the job's trace.
            : Uni.createFrom()
                .emitter(e -> vertx.setTimer(Math.max(1, delay.toMillis()), t -> e.complete(null)));
    return approved.invoke(() -> charged.increment());
  }

  /** Gives back a charge of order {@code id}; {@code why} says why, for the log. */
  void refund(long id, Amount amount, String why) {
    refunded.increment();
    Log.warnf("Order %d %s: its payment of %s refunded", id, why, amount);
  }

  /** A charge nobody could say paid the order or not: left to an operator. */
  void unsettled() {
    unsettled.increment();
  }
}
