package dev.souq.order;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

/** POST /api/orders/{id}/status. */
public record StatusRequest(
    @NotNull
        @Pattern(
            regexp = "PENDING|PAID|SHIPPED|DELIVERED|CANCELLED",
            message = "must be one of PENDING, PAID, SHIPPED, DELIVERED, CANCELLED")
        String status) {}
