package dev.souq.order;

import com.fasterxml.jackson.annotation.JsonIgnore;
import dev.souq.shared.messages.Currencies;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;

/**
 * POST /api/orders/{id}/status. A payer (worker-service's process_payment) also names what it
 * charged, {@code amount_cents} and {@code currency}: the move is refused unless that is the
 * order's total; and the charge itself ({@code payment}), whose move is refused once the payer
 * voided it ({@code POST /api/orders/{id}/payments/void}).
 */
public record StatusRequest(
    @NotNull
        @Pattern(
            regexp = "PENDING|PAID|SHIPPED|DELIVERED|CANCELLED",
            message = "must be one of PENDING, PAID, SHIPPED, DELIVERED, CANCELLED")
        String status,
    @Positive Long amountCents,
    @Pattern(regexp = Currencies.CODE, message = Currencies.NOT_A_CODE) String currency,
    @Size(max = PaymentRef.MAX) @Pattern(regexp = PaymentRef.PATTERN) String payment) {

  @JsonIgnore
  @AssertTrue(message = "payment names the charge of a move to PAID, with amount_cents")
  public boolean isPaymentOfAPaidMove() {
    return payment == null || "PAID".equals(status) && amountCents != null;
  }

  @JsonIgnore
  @AssertTrue(message = "amount_cents and currency go together")
  public boolean isAmountWhole() {
    return (amountCents == null) == (currency == null);
  }

  /** What the caller charged, or null if it names nothing. */
  public Amount amount() {
    return amountCents == null ? null : new Amount(amountCents, currency);
  }
}
