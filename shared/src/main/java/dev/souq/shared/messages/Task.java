package dev.souq.shared.messages;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * A background job, as producers LPUSH it on {@link #QUEUE} and the worker pops it. {@code attempt}
 * counts the runs that failed before; a retried job also carries its last error, when it failed and
 * when it is due again; {@code queue} names the queue it belongs on ({@link TaskQueues}), where its
 * retries go back to; {@code traceparent} is the W3C trace context of the request that enqueued it,
 * when tracing is on, kept across retries. Schema: {@code schemas/task.schema.json}. {@code queue}
 * is written last: the worker's scripts read it from the tail of a job too big to decode.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonPropertyOrder({
  "id",
  "type",
  "payload",
  "attempt",
  "enqueued_at",
  "idempotency_key",
  "last_error",
  "failed_at",
  "run_at",
  "traceparent",
  "queue"
})
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record Task(
    String id,
    String type,
    JsonNode payload,
    int attempt,
    Instant enqueuedAt,
    String idempotencyKey,
    String lastError,
    Instant failedAt,
    Instant runAt,
    String queue,
    String traceparent) {

  /** The list producers push to (LPUSH) and workers pop from the right. */
  public static final String QUEUE = "tasks";

  /** The type given to a bare JSON object pushed without the envelope (the seed's producers). */
  public static final String DEFAULT_TYPE = "default";

  /** The JSON Schema on the classpath. */
  public static final String SCHEMA = "/schemas/task.schema.json";

  /** A new job, never run, for the default queue. */
  public static Task of(
      String id, String type, JsonNode payload, Instant enqueuedAt, String idempotencyKey) {
    return new Task(id, type, payload, 0, enqueuedAt, idempotencyKey, null, null, null, null, null);
  }

  /**
   * This job on the named queue ({@link TaskQueues}): null or {@code default} leaves the field out,
   * so a default job reads as the seed's envelope did.
   */
  public Task on(String name) {
    String field = name == null || TaskQueues.DEFAULT.equals(name) ? null : name;
    return new Task(
        id,
        type,
        payload,
        attempt,
        enqueuedAt,
        idempotencyKey,
        lastError,
        failedAt,
        runAt,
        field,
        traceparent);
  }

  /** This job carrying {@code traceparent} (null: none). */
  public Task traced(String traceparent) {
    return new Task(
        id,
        type,
        payload,
        attempt,
        enqueuedAt,
        idempotencyKey,
        lastError,
        failedAt,
        runAt,
        queue,
        traceparent);
  }

  /**
   * {@code at} rounded up to a whole millisecond. {@code tasks:delayed} scores due times in
   * milliseconds and the worker promotes a job once Redis's clock reaches its score: a due time
   * rounded down could let a job run up to a millisecond before its {@code run_at}.
   */
  public static Instant dueMillis(Instant at) {
    Instant whole = at.truncatedTo(ChronoUnit.MILLIS);
    return whole.equals(at) ? at : whole.plusMillis(1);
  }

  /** This job due at {@code dueAt} (a delayed enqueue), rounded up to a millisecond. */
  public Task dueAt(Instant dueAt) {
    return new Task(
        id,
        type,
        payload,
        attempt,
        enqueuedAt,
        idempotencyKey,
        lastError,
        failedAt,
        dueMillis(dueAt),
        queue,
        traceparent);
  }

  /** This job after a failed run: one attempt more, due again at {@code dueAt} (rounded up). */
  public Task failed(String error, Instant at, Instant dueAt) {
    return new Task(
        id,
        type,
        payload,
        attempt + 1,
        enqueuedAt,
        idempotencyKey,
        error,
        at,
        dueMillis(dueAt),
        queue,
        traceparent);
  }

  /** This job put off until {@code dueAt} (rounded up) by its handler, its attempts unspent. */
  public Task snoozed(Instant dueAt) {
    return new Task(
        id,
        type,
        payload,
        attempt,
        enqueuedAt,
        idempotencyKey,
        lastError,
        failedAt,
        dueMillis(dueAt),
        queue,
        traceparent);
  }

  /** This job from the start again, as an operator's retry of a dead letter makes it. */
  public Task fresh() {
    return new Task(
        id, type, payload, 0, enqueuedAt, idempotencyKey, null, null, null, queue, traceparent);
  }
}
