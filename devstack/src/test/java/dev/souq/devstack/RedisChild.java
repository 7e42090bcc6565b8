package dev.souq.devstack;

import java.nio.file.Path;
import java.time.Duration;

/**
 * A launcher in miniature, run as its own JVM by {@link LocalRedisTest}: it starts a {@link
 * LocalRedis} in {@code args[0]} (binary in {@code args[1]}), prints {@code ready <port>} and
 * waits. On SIGTERM its shutdown hook acts as ./run's: it stands for services still stopping for a
 * second, asking Redis all the while, prints how many of its pings were answered, and only then
 * closes it.
 */
public final class RedisChild {
  private static final int PINGS = 10;

  private RedisChild() {}

  public static void main(String[] args) throws Exception {
    LocalRedis redis = LocalRedis.start(Path.of(args[0]), Path.of(args[1]), 0, true);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  int answered = 0;
                  for (int i = 0; i < PINGS; i++) {
                    answered += RedisCall.answers(redis.port()) ? 1 : 0;
                    pause(Duration.ofMillis(100)); // the services' stop, not a synchronisation
                  }
                  System.out.println("answered " + answered + " of " + PINGS);
                  try {
                    redis.close();
                  } catch (Exception e) {
                    System.out.println("close failed: " + e);
                  }
                  System.out.println("closed");
                }));
    System.out.println("ready " + redis.port());
    System.out.flush();
    Thread.currentThread().join();
  }

  private static void pause(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
