package dev.souq.order;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * POST /api/orders/{id}/payments/void: the charge whose move to PAID may or may not have been made.
 */
public record PaymentVoid(
    @NotNull @Size(max = PaymentRef.MAX) @Pattern(regexp = PaymentRef.PATTERN) String payment) {}
