package dev.souq.notification.messaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.souq.notification.config.NotificationConfig;
import dev.souq.shared.messages.OrderUpdate;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Response;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** Reads {@code order_updates:stream}: where it starts and ends, and what came after an offset. */
@Singleton
public class OrderStream {
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
