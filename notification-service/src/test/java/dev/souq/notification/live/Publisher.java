package dev.souq.notification.live;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.souq.shared.messages.OrderUpdate;
import dev.souq.testing.RedisCommand;
import dev.souq.testing.TestStack;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Publishes order updates exactly as order-service's outbox relay does (the shared Lua script: XADD
 * to the stream and the user's, then PUBLISH with its id), straight to Redis, bypassing the relay
 * that tests cut between the service and Redis.
 */
final class Publisher {
  private static final ObjectMapper JSON =
      new ObjectMapper()
          .findAndRegisterModules()
          .disable(com.fasterxml.jackson.databind.SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
  private static final AtomicLong ORDERS = new AtomicLong(System.currentTimeMillis() % 1_000_000);
  private static final String SCRIPT = script();

  private Publisher() {}

  /** A new order id for a test. */
  static long order() {
    return ORDERS.incrementAndGet();
  }

  /** Publishes a status change of {@code order} for {@code user}; returns its stream offset. */
  static String publish(String user, long order, String status) {
    return publish(user, order, status, null);
  }

  /** As {@link #publish(String, long, String)}, with {@code padding} bytes of extra payload. */
  static String publish(String user, long order, String status, Integer padding) {
    return publish(TestStack.get().redisUrl(), user, order, status, padding);
  }

  /** As {@link #publish(String, long, String, Integer)}, to the Redis at {@code redisUrl}. */
  static String publish(String redisUrl, String user, long order, String status, Integer padding) {
    ObjectNode message =
        JSON.valueToTree(
            new OrderUpdate(
                order, status, Instant.now(), null, user, UUID.randomUUID().toString()));
    if (padding != null) {
      message.put("padding", "x".repeat(padding));
    }
    return (String) RedisCommand.call(redisUrl, eval(user, message.toString()));
  }

  /** EVAL of the publish script with the keys and arguments the relay gives it. */
  private static String[] eval(String user, String json) {
    List<String> keys = OrderUpdate.publishKeys(user);
    List<String> command = new ArrayList<>(List.of("EVAL", SCRIPT, Integer.toString(keys.size())));
    command.addAll(keys);
    command.addAll(OrderUpdate.publishArgs(json, 10_000));
    return command.toArray(String[]::new);
  }

  private static String script() {
    try (InputStream in = OrderUpdate.class.getResourceAsStream(OrderUpdate.PUBLISH_SCRIPT)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
