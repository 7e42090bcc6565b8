package dev.souq.order.messaging;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.souq.order.OrderUpdates;
import dev.souq.shared.messages.OrderUpdate;
import dev.souq.testing.RedisCommand;
import dev.souq.testing.TestStack;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A subscription to {@code order_updates} on the real Redis, not through the service's outage
 * proxy, so it lives through a cut as a notification-service replica's would; records every message
 * in the order received.
 */
final class ChannelRecorder implements AutoCloseable {
  private static final String PROBE = "probe:";

  private final Redis client;
  private final RedisConnection connection;
  private final List<String> messages = new CopyOnWriteArrayList<>();

  private ChannelRecorder(Redis client, RedisConnection connection) {
    this.client = client;
    this.connection = connection;
  }

  /** Subscribes, and returns once the subscription receives what is published. */
  static ChannelRecorder subscribe(Vertx vertx) throws Exception {
    Redis client = Redis.createClient(vertx, TestStack.get().redisUrl());
    RedisConnection connection =
        client.connect().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    ChannelRecorder recorder = new ChannelRecorder(client, connection);
    connection.handler(recorder::received);
    connection
        .send(Request.cmd(Command.SUBSCRIBE).arg(OrderUpdate.CHANNEL))
        .toCompletionStage()
        .toCompletableFuture()
        .get(10, TimeUnit.SECONDS);
    recorder.caughtUp();
    return recorder;
  }

  private void received(Response push) {
    if (push.size() == 3 && "message".equals(push.get(0).toString())) {
      messages.add(push.get(2).toString());
    }
  }

  /**
   * Publishes a probe and waits for it: Redis delivers one connection's messages in publish order,
   * so everything published before has arrived by then, duplicates included.
   */
  void caughtUp() {
    String probe = PROBE + UUID.randomUUID();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> {
              RedisCommand.run(TestStack.get().redisUrl(), "PUBLISH", OrderUpdate.CHANNEL, probe);
              return messages.contains(probe);
            });
  }

  /** The order's messages, as received. */
  List<JsonNode> of(long order) {
    return messages.stream()
        .filter(m -> !m.startsWith(PROBE))
        .map(OrderUpdates::parse)
        .filter(m -> m.path("order_id").asLong() == order)
        .toList();
  }

  @Override
  public void close() {
    connection.close();
    client.close();
  }
}
