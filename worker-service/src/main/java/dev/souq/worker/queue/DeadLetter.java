package dev.souq.worker.queue;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.time.Instant;

/**
 * An entry of tasks:dead: why the job died, its last error (a message, never a stack trace), how
 * often it ran, and the job exactly as it was pushed. The id comes first in the JSON, which is how
 * a script finds an entry by id.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonPropertyOrder({
  "id",
  "reason",
  "error",
  "job_id",
  "type",
  "attempts",
  "enqueued_at",
  "dead_at"
})
public record DeadLetter(
    String id,
    String reason,
    String error,
    String jobId,
    String type,
    int attempts,
    Instant enqueuedAt,
    Instant deadAt,
    String worker,
    String job) {

  /** The same dead letter with another job text (e.g. a preview). */
  public DeadLetter withJob(String text) {
    return new DeadLetter(
        id, reason, error, jobId, type, attempts, enqueuedAt, deadAt, worker, text);
  }

  /** The text a stored entry starts with, for finding it by id. */
  public static String prefix(String id) {
    return "{\"id\":\"" + id + "\"";
  }
}
