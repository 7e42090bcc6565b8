package dev.souq.worker.service;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * {@code POST /api/tasks}: a job to enqueue now or after {@code delay_seconds}, on {@code queue}
 * (default: the type's route, see {@code worker.routes}).
 */
public record TaskRequest(
    @NotNull
        @Pattern(
            regexp = "[a-z][a-z0-9_]{0,63}",
            message = "must be a task type like send_order_confirmation")
        String type,
    JsonNode payload,
    @Min(0) @Max(2_592_000) Long delaySeconds,
    @Size(min = 1, max = 256) String idempotencyKey,
    @Pattern(regexp = "[a-z][a-z0-9_-]{0,31}", message = "must be a queue name like critical")
        String queue) {}
