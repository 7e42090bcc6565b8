package dev.souq.testing.redis;

import dev.souq.testing.RedisCommand;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/** One {@code redis-server} process on loopback, its files in a folder of its own. */
public final class RedisProcess implements AutoCloseable {
  private final int port;
  private final Process process;

  private RedisProcess(int port, Process process) {
    this.port = port;
    this.process = process;
  }

  /**
   * Starts {@code binary} on {@code port} with {@code settings} (each a {@code redis.conf} line) in
   * {@code dir}, and waits until it answers PING. {@code sentinel} starts it as a sentinel.
   */
  public static RedisProcess start(
      Path binary, Path dir, int port, boolean sentinel, List<String> settings) {
    try {
      // A port used by an earlier run must not bring back that run's cluster state.
      deleteTree(dir);
      Files.createDirectories(dir);
      List<String> conf = new ArrayList<>();
      conf.add("port " + port);
      conf.add("bind 127.0.0.1");
      conf.add("dir " + dir.toAbsolutePath());
      conf.add("save \"\"");
      conf.add("appendonly no");
      conf.add("logfile " + dir.toAbsolutePath().resolve("redis.log"));
      conf.addAll(settings);
      // A sentinel rewrites its file as it learns: it must be a file of its own.
      Path file = dir.resolve(sentinel ? "sentinel.conf" : "redis.conf");
      Files.write(file, conf);
      List<String> command = new ArrayList<>(List.of(binary.toString(), file.toString()));
      if (sentinel) {
        command.add("--sentinel");
      }
      Process process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("stdout.log").toFile())
              .start();
      RedisProcess started = new RedisProcess(port, process);
      // A test JVM killed by its timeout must not leave servers behind.
      Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
      try {
        Awaitility.await("redis-server on " + port)
            .atMost(Duration.ofSeconds(20))
            .ignoreExceptions()
            .until(() -> "+PONG".equals(RedisCommand.run(started.url(), "PING")));
      } catch (RuntimeException notStarted) {
        process.destroyForcibly();
        throw notStarted;
      }
      return started;
    } catch (IOException e) {
      throw new UncheckedIOException("Could not start redis-server on " + port, e);
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (var paths = Files.walk(dir)) {
      for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }

  /** Its port. */
  public int port() {
    return port;
  }

  /** A URL of it, for {@link RedisCommand}. */
  public String url() {
    return "redis://127.0.0.1:" + port;
  }

  /** Whether the process still runs. */
  public boolean alive() {
    return process.isAlive();
  }

  /** SIGKILL, as when a machine dies: no shutdown, no save. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws InterruptedException {
    kill();
  }
}
