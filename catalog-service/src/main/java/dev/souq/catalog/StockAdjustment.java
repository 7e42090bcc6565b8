package dev.souq.catalog;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

/**
 * {@code POST /api/products/{id}/stock}: stock to add (a delivery came in) or, negative, to take
 * away (a write-off), relative to what is left, so it never undoes a reservation made meanwhile.
 */
public record StockAdjustment(@NotNull @Min(-1_000_000_000) @Max(1_000_000_000) Integer delta) {}
