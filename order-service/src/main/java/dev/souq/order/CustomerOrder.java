package dev.souq.order;

import java.time.Instant;

/**
 * An order of one session user as a status change or a placement writes it: what its event, its
 * jobs and its view are made of. Its lines and timeline are rows of their own (V1__orders.sql).
 */
public record CustomerOrder(
    long id,
    String userId,
    OrderStatus status,
    long totalCents,
    String currency,
    Instant createdAt,
    Instant updatedAt) {}
