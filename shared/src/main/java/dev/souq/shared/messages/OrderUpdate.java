package dev.souq.shared.messages;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.time.Duration;
import java.time.Instant;

/**
 * An order's status change, as order-service publishes it on {@link #CHANNEL} and appends it to
 * {@link #STREAM}; or, with {@code job} set, what became of one of its jobs (its status is then the
 * order's current one, unchanged). {@code reason} says why a cancel happened where the owner did
 * not ask for it from the operator: {@link #UNPAID} or {@link #SHOPPER}. {@code traceparent} is the
 * W3C trace context of the request that made the change, when tracing is on (consumers continue its
 * trace). Schema: {@code schemas/order-update.schema.json}.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record OrderUpdate(
    long orderId,
    String status,
    Instant timestamp,
    String previousStatus,
    String userId,
    String eventId,
    JobFate job,
    String reason,
    String traceparent) {

  /** A cancel by the unpaid-order job: the order was not paid in time. */
  public static final String UNPAID = "unpaid";

  /** A cancel by the order's owner. */
  public static final String SHOPPER = "shopper";

  /** An update outside any trace. */
  public OrderUpdate(
      long orderId,
      String status,
      Instant timestamp,
      String previousStatus,
      String userId,
      String eventId,
      JobFate job,
      String reason) {
    this(orderId, status, timestamp, previousStatus, userId, eventId, job, reason, null);
  }

  /** What became of one of the order's jobs. */
  public OrderUpdate(
      long orderId,
      String status,
      Instant timestamp,
      String previousStatus,
      String userId,
      String eventId,
      JobFate job) {
    this(orderId, status, timestamp, previousStatus, userId, eventId, job, null, null);
  }

  /** A status change (no job). */
  public OrderUpdate(
      long orderId,
      String status,
      Instant timestamp,
      String previousStatus,
      String userId,
      String eventId) {
    this(orderId, status, timestamp, previousStatus, userId, eventId, null, null, null);
  }

  /** This update carrying {@code traceparent} (null: none). */
  public OrderUpdate traced(String traceparent) {
    return new OrderUpdate(
        orderId, status, timestamp, previousStatus, userId, eventId, job, reason, traceparent);
  }

  /** The pub/sub channel every notification-service replica subscribes to. */
  public static final String CHANNEL = "order_updates";

  /** The capped stream that keeps the same messages for replay after a reconnect. */
  public static final String STREAM = "order_updates:stream";

  /**
   * The Lua script that appends a message to {@link #STREAM} and to its user's stream, and
   * publishes it on {@link #CHANNEL} with the {@code stream_id} it got, in one step (KEYS: stream,
   * user stream, {@link #USER_STREAMS_SINCE}; ARGV: max length, JSON, channel, user stream length,
   * user stream TTL in seconds).
   */
  public static final String PUBLISH_SCRIPT = "/lua/order-update-publish.lua";

  /**
   * Entries a user's stream keeps (exactly: MAXLEN without {@code ~}); a replay reads at most this
   * many, whatever the traffic of other users.
   */
  public static final int USER_STREAM_LENGTH = 256;

  /** How long a user's stream outlives its newest entry: a session's absolute lifetime. */
  public static final Duration USER_STREAM_TTL = Duration.ofDays(7);

  /**
   * The first id written to user streams (the upgrade that introduced them, or the last time the
   * global stream went back): a replay from before it may lack updates and is told to reload.
   */
  public static final String USER_STREAMS_SINCE = "{" + STREAM + "}:users-since";

  /** The keys of {@link #PUBLISH_SCRIPT} for an update of {@code userId} (null: none). */
  public static java.util.List<String> publishKeys(String userId) {
    return userId == null
        ? java.util.List.of(STREAM)
        : java.util.List.of(STREAM, userStream(userId), USER_STREAMS_SINCE);
  }

  /** The arguments of {@link #PUBLISH_SCRIPT}: the message, the global stream's approximate cap. */
  public static java.util.List<String> publishArgs(String json, long streamMaxLength) {
    return java.util.List.of(
        Long.toString(streamMaxLength),
        json,
        CHANNEL,
        Integer.toString(USER_STREAM_LENGTH),
        Long.toString(USER_STREAM_TTL.toSeconds()));
  }

  /**
   * The stream of one user's updates, with the ids they got in {@link #STREAM}: what a replay
   * reads, so its cost is bounded by the user's own events. Its hash tag is the name of {@link
   * #STREAM}, so a Redis Cluster keeps both (and {@link #USER_STREAMS_SINCE}) in one slot, as the
   * publish and replay scripts need.
   */
  public static String userStream(String userId) {
    return "{" + STREAM + "}:" + userId;
  }

  /** The JSON Schema on the classpath. */
  public static final String SCHEMA = "/schemas/order-update.schema.json";
}
