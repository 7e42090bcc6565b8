package dev.souq.worker.handlers;

import com.fasterxml.jackson.databind.JsonNode;
import dev.souq.shared.messages.Task;
import dev.souq.worker.handler.Handles;
import dev.souq.worker.handler.PermanentFailure;
import dev.souq.worker.handler.TaskHandler;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * An end-to-end probe: after {@code payload.delay_ms} (at most 10 s) it appends the job's id to
 * {@code tasks:echo:<payload.reply_to>}, and as it starts, how many echoes of that reply_to run at
 * that moment (itself included) to {@code …:overlap} (all kept an hour). Operators use it to see a
 * deployment drain the queue or a type's limit hold; the crash test uses it to count every run of
 * every job, the limit test to see that no more than the limit ever ran at once.
 */
@ApplicationScoped
@Handles(value = "echo", timeoutSeconds = 15)
public class EchoHandler implements TaskHandler {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");
  private static final long MAX_DELAY = 10_000;

  private final ReactiveRedisDataSource redis;

  EchoHandler(ReactiveRedisDataSource redis) {
    this.redis = redis;
  }

  /** Where echoes of {@code replyTo} go. */
  public static String key(String replyTo) {
    return "tasks:echo:" + replyTo;
  }

  @Override
  public Uni<Void> handle(Task task) {
    JsonNode payload = task.payload();
    String replyTo = payload.path("reply_to").asText("");
    long delay = payload.path("delay_ms").asLong(0);
    if (!NAME.matcher(replyTo).matches() || delay < 0 || delay > MAX_DELAY) {
      throw new PermanentFailure(
          "payload needs reply_to matching " + NAME.pattern() + " and delay_ms in 0.." + MAX_DELAY);
    }
    String key = key(replyTo);
    String running = key + ":running";
    Uni<Void> wait =
        delay == 0
            ? Uni.createFrom().voidItem()
            : Uni.createFrom().voidItem().onItem().delayIt().by(Duration.ofMillis(delay));
    return redis
        .value(Long.class)
        .incr(running)
        .chain(now -> redis.list(Long.class).rpush(key + ":overlap", now))
        .chain(() -> wait)
        .chain(() -> redis.list(String.class).rpush(key, task.id()))
        .eventually(() -> redis.value(Long.class).decr(running))
        .chain(() -> redis.key().expire(key, Duration.ofHours(1)))
        .chain(() -> redis.key().expire(key + ":overlap", Duration.ofHours(1)))
        .chain(() -> redis.key().expire(running, Duration.ofHours(1)))
        .replaceWithVoid();
  }
}
