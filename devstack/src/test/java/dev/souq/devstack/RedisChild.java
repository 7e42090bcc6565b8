package dev.souq.devstack;

import java.nio.file.Path;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A launcher in miniature, run as its own JVM by {@link LocalRedisTest}: it starts a {@link
 * LocalRedis} in {@code args[0]} (binary in {@code args[1]}), prints {@code ready <port>} and
 * waits. On SIGTERM its shutdown hook acts as ./run's: it stands for services still stopping for a
 * second, asking Redis all the while, prints whether Redis answered throughout, and only then
 * closes it. Its lines on standard output, through the launcher's {@link Console}, are what the
 * test reads: a plain JVM, not a Quarkus app, where {@code io.quarkus.logging.Log} does not work.
 */
public final class RedisChild {
  private RedisChild() {}

  public static void main(String[] args) throws Exception {
    LocalRedis redis = LocalRedis.start(Path.of(args[0]), Path.of(args[1]), 0, true);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    Awaitility.await("Redis while the services stop")
                        .pollInterval(Duration.ofMillis(100))
                        .during(Duration.ofSeconds(1))
                        .atMost(Duration.ofSeconds(2))
                        .until(() -> LocalRedisTest.answers(redis.port()));
                    Console.line("answered throughout");
                  } catch (ConditionTimeoutException wentAway) {
                    Console.line("went away: %s", wentAway.getMessage());
                  }
                  try {
                    redis.close();
                  } catch (Exception e) {
                    Console.line("close failed: %s", e);
                  }
                  Console.line("closed");
                }));
    Console.line("ready %d", redis.port());
    Thread.currentThread().join();
  }
}
