package dev.souq.devstack;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import redis.embedded.core.ExecutableProvider;

/**
 * An embedded redis-server: a real Redis 6.2 binary shipped in a Maven Central jar, run as a child
 * process of ours. With {@code persistent} it keeps an append-only file in its data directory, so
 * queues, streams and sessions survive a restart.
 *
 * <p>The jar's own launcher is not used: it stops Redis from a JVM shutdown hook of its own, which
 * runs beside ours, so Redis went away while the services were still returning their jobs. Here
 * Redis stops when {@link #close()} says so, after them.
 */
public final class LocalRedis implements AutoCloseable {
  private static final long START_MILLIS = 20_000;
  private static final long STOP_SECONDS = 10;

  private final Process process;
  private final int port;

  private LocalRedis(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  /**
   * Starts Redis on {@code port} (0 = any free port), bound to loopback, and returns once it
   * answers. {@code dataDir} holds its files; the binary is unpacked into {@code binDir}.
   */
  public static LocalRedis start(Path dataDir, Path binDir, int port, boolean persistent)
      throws IOException {
    Files.createDirectories(dataDir);
    Files.createDirectories(binDir);
    Path binary = ExecutableProvider.newJarResourceProvider(binDir.toFile()).get().toPath();
    Path pidFile = dataDir.resolve("redis.pid");
    stopOrphan(pidFile);
    int actualPort = port > 0 ? port : Ports.free();
    Path conf = dataDir.resolve("redis.conf");
    Files.write(
        conf,
        List.of(
            "port " + actualPort,
            "bind 127.0.0.1",
            "dir " + dataDir.toAbsolutePath(),
            "pidfile " + pidFile.toAbsolutePath(),
            "appendonly " + (persistent ? "yes" : "no"),
            "appendfsync everysec",
            "save \"\"",
            // Queues and streams live in Redis: never evict them.
            "maxmemory-policy noeviction"));
    Path log = dataDir.resolve("redis.log");
    Process process =
        new ProcessBuilder(binary.toString(), conf.toAbsolutePath().toString())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    LocalRedis redis = new LocalRedis(process, actualPort);
    try {
      redis.awaitReady(log);
    } catch (IOException | RuntimeException notStarted) {
      process.destroyForcibly();
      throw notStarted;
    }
    return redis;
  }

  /**
   * A launcher killed with SIGKILL leaves its Redis running, holding the port and the AOF: the next
   * start stops it first (only if that pid is still a redis-server).
   */
  private static void stopOrphan(Path pidFile) throws IOException {
    if (!Files.isRegularFile(pidFile)) {
      return;
    }
    Optional<ProcessHandle> orphan;
    try {
      orphan = ProcessHandle.of(Long.parseLong(Files.readString(pidFile).trim()));
    } catch (NumberFormatException unreadable) {
      return;
    }
    Optional<ProcessHandle> redis =
        orphan.filter(
            p ->
                p.info()
                    .command()
                    .map(c -> Path.of(c).getFileName().toString().startsWith("redis-server"))
                    .orElse(false));
    if (redis.isEmpty()) {
      return;
    }
    redis.get().destroy();
    try {
      redis.get().onExit().get(STOP_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException stillThere) {
      redis.get().destroyForcibly();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while an earlier redis-server stopped", e);
    }
  }

  private void awaitReady(Path log) throws IOException {
    long deadline = System.currentTimeMillis() + START_MILLIS;
    while (System.currentTimeMillis() < deadline) {
      if (!process.isAlive()) {
        throw new IOException("redis-server exited: " + lastLine(log));
      }
      if (answersPing()) {
        return;
      }
      try {
        process.waitFor(50, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while redis-server started", e);
      }
    }
    throw new IOException("redis-server did not answer on " + port + ": " + lastLine(log));
  }

  private boolean answersPing() {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
      socket.setSoTimeout(1_000);
      OutputStream out = socket.getOutputStream();
      out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      byte[] reply = in.readNBytes(5);
      // While it loads its AOF, Redis answers "-LOADING …": not ready yet.
      return "+PONG".equals(new String(reply, StandardCharsets.US_ASCII));
    } catch (IOException notYet) {
      return false;
    }
  }

  private static String lastLine(Path log) {
    try {
      List<String> lines = Files.readAllLines(log);
      return lines.isEmpty() ? "(no output)" : lines.get(lines.size() - 1);
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  /** The port it listens on. */
  public int port() {
    return port;
  }

  /** A {@code REDIS_URL} for it. */
  public String redisUrl() {
    return "redis://127.0.0.1:" + port;
  }

  /** SIGTERM, so Redis flushes its AOF and exits; SIGKILL if it has not within 10 s. */
  @Override
  public void close() throws IOException {
    process.destroy();
    try {
      if (!process.waitFor(STOP_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
