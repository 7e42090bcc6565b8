package dev.souq.notification.messaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.souq.notification.config.NotificationConfig;
import dev.souq.shared.messages.OrderUpdate;
import dev.souq.shared.redis.LuaScript;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Response;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Reads {@code order_updates:stream}: where it starts and ends, and what came after an offset; and
 * a user's own stream beside it, for replays.
 */
@Singleton
public class OrderStream {
  private static final LuaScript USER_REPLAY = LuaScript.fromClasspath("/lua/user-replay.lua");

  /** What a replay found: whether nothing after the offset was lost, and how many entries. */
  public record Replay(boolean complete, int entries) {}

  private final ReactiveRedisDataSource redis;
  private final ObjectMapper json;
  private final int batch;

  OrderStream(ReactiveRedisDataSource redis, ObjectMapper json, NotificationConfig config) {
    this.redis = redis;
    this.json = json;
    this.batch = config.replayBatch();
  }

  /** The oldest entry still kept, or null if the stream is empty. */
  public Uni<StreamId> first() {
    return edge("XRANGE", "-", "+");
  }

  /** The newest entry, or null if the stream is empty. */
  public Uni<StreamId> last() {
    return edge("XREVRANGE", "+", "-");
  }

  private Uni<StreamId> edge(String command, String from, String to) {
    return redis
        .execute(command, OrderUpdate.STREAM, from, to, "COUNT", "1")
        .map(
            reply ->
                reply == null || reply.size() == 0
                    ? null
                    : StreamId.parse(reply.get(0).get(0).toString()));
  }

  /**
   * Hands every event after {@code since} to {@code sink}, in order, a batch per round trip;
   * completes with the offset of the last entry read (or {@code since} if there was none).
   */
  public Uni<StreamId> after(StreamId since, Consumer<OrderEvent> sink) {
    return redis
        .execute("XRANGE", OrderUpdate.STREAM, "(" + since, "+", "COUNT", Integer.toString(batch))
        .chain(
            reply -> {
              List<Response> entries = new ArrayList<>();
              if (reply != null) {
                reply.forEach(entries::add);
              }
              StreamId last = since;
              for (Response entry : entries) {
                last = StreamId.parse(entry.get(0).toString());
                OrderEvent event = OrderEvent.stored(json, data(entry.get(1)), last);
                if (event != null) {
                  sink.accept(event);
                }
              }
              StreamId reached = last;
              return entries.size() < batch ? Uni.createFrom().item(reached) : after(reached, sink);
            });
  }

  /**
   * Hands the user's events after {@code since} to {@code sink}, in order, in one round trip that
   * reads at most {@link OrderUpdate#USER_STREAM_LENGTH} entries, whatever other users publish. Not
   * complete when events after {@code since} may be missing: from before user streams began ({@link
   * OrderUpdate#USER_STREAMS_SINCE}), trimmed from the user's stream, or in an earlier stream that
   * expired ({@link OrderUpdate#USER_STREAM_TTL} after its last entry; a later stream starts after
   * that, so only an offset more than the TTL before its first entry, or before now without a
   * stream, can have missed one).
   */
  public Uni<Replay> userAfter(String userId, StreamId since, Consumer<OrderEvent> sink) {
    return USER_REPLAY
        .run(
            redis,
            List.of(
                OrderUpdate.userStream(userId), OrderUpdate.USER_STREAMS_SINCE, OrderUpdate.STREAM),
            List.of(since.toString(), Integer.toString(OrderUpdate.USER_STREAM_LENGTH)))
        .map(reply -> replay(reply, since, sink));
  }

  private Replay replay(Response reply, StreamId since, Consumer<OrderEvent> sink) {
    long ttl = OrderUpdate.USER_STREAM_TTL.toMillis();
    if (reply.get(0) == null) {
      // No update has had a user stream yet: complete only if there never was any update.
      return new Replay(reply.get(1).toInteger() == 0, 0);
    }
    StreamId streamsSince = StreamId.parse(reply.get(0).toString());
    if (streamsSince == null || since.compareTo(streamsSince) < 0) {
      return new Replay(false, 0); // older than user streams: updates before them are not there
    }
    if (reply.size() == 1) {
      return new Replay(!before(since, System.currentTimeMillis() - ttl), 0);
    }
    StreamId first = StreamId.parse(reply.get(2).toString());
    boolean older = first != null && since.compareTo(first) < 0;
    Response entries = reply.get(3);
    // Trimmed: the publisher caps the stream exactly, so only a full one may have lost entries.
    boolean trimmed = reply.get(1).toInteger() >= OrderUpdate.USER_STREAM_LENGTH;
    if (older && (trimmed || before(since, first.millis() - ttl))) {
      // The client reloads anyway: what was read is not worth sending.
      return new Replay(false, entries.size());
    }
    for (Response entry : entries) {
      StreamId offset = StreamId.parse(entry.get(0).toString());
      OrderEvent event = OrderEvent.stored(json, data(entry.get(1)), offset);
      if (event != null) {
        sink.accept(event);
      }
    }
    return new Replay(true, entries.size());
  }

  /** Whether the offset is from before {@code millis} (offsets are unsigned, as in Redis). */
  private static boolean before(StreamId offset, long millis) {
    return Long.compareUnsigned(offset.millis(), millis) < 0;
  }

  /** The value of the {@code data} field among an entry's field/value pairs. */
  private static String data(Response fields) {
    for (int i = 0; i + 1 < fields.size(); i += 2) {
      if ("data".equals(fields.get(i).toString())) {
        return fields.get(i + 1).toString();
      }
    }
    return "";
  }
}
