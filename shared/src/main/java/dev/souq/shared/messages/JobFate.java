package dev.souq.shared.messages;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.time.Instant;

/**
 * What became of one of an order's jobs, for its owner's timeline: an attempt failed and the job
 * runs again at {@code nextAttemptAt} ({@link #RETRYING}), or it was given up ({@link #FAILED}).
 * worker-service reports it to order-service, which writes it like a status change: a timeline step
 * and an {@link OrderUpdate} whose {@code job} field carries it.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record JobFate(
    String type, String outcome, int attempt, Instant nextAttemptAt, String error) {
  /** The attempt failed; the job runs again at {@code next_attempt_at}. */
  public static final String RETRYING = "retrying";

  /** The job was given up (dead letter): it will not run again by itself. */
  public static final String FAILED = "failed";
}
