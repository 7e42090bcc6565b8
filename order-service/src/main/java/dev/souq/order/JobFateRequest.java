package dev.souq.order;

import dev.souq.shared.messages.JobFate;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Instant;

/** POST /api/orders/{id}/jobs: what became of one of the order's jobs (worker-service). */
public record JobFateRequest(
    @NotNull
        @Pattern(
            regexp = "[a-z][a-z0-9_]{0,63}",
            message = "must be a job type like process_payment")
        String type,
    @NotNull @Pattern(regexp = "retrying|failed", message = "must be one of retrying, failed")
        String outcome,
    @Min(1) @Max(1000) int attempt,
    Instant nextAttemptAt,
    @Size(max = 1001) String error) {

  /** A retry says when; a job given up runs no more. */
  @AssertTrue(message = "next_attempt_at is required when retrying, and only then")
  public boolean isNextAttemptGivenWhenRetrying() {
    return (nextAttemptAt != null) == JobFate.RETRYING.equals(outcome);
  }

  /** As the message and the timeline carry it. */
  public JobFate fate() {
    return new JobFate(type, outcome, attempt, nextAttemptAt, error);
  }
}
