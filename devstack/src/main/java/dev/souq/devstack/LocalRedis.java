package dev.souq.devstack;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
 * <p>It stops when {@link #close()} says so, after the services that use it. So the jar's own
 * launcher is not used (it stops Redis from a JVM shutdown hook of its own, beside ./run's), and
 * the process runs in a session of its own where {@code setsid} exists: a Ctrl-C reaches the
 * terminal's whole process group, and Redis shuts down on SIGINT as on SIGTERM. (Without it, as on
 * macOS, a Ctrl-C stops Redis beside the services; a SIGTERM to the launcher still stops it last. A
 * ProcessBuilder child leads no process group, so setsid does not fork: the pid is Redis's.)
 */
public final class LocalRedis implements AutoCloseable {
  private static final long START_MILLIS = 20_000;
  private static final long STOP_SECONDS = 10;

  private final Process process;
  private final int port;
  private final Path log;

  private LocalRedis(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  /**
   * Starts Redis on {@code port} (0 = any free port), bound to loopback, and returns once it
   * answers. {@code dataDir} holds its files; the binary is unpacked into {@code binDir}.
   */
  public static LocalRedis start(Path dataDir, Path binDir, int port, boolean persistent)
      throws IOException {
    LocalRedis redis = launch(dataDir, binDir, port, persistent);
    try {
      redis.awaitReady();
    } catch (IOException | RuntimeException notStarted) {
      redis.process.destroyForcibly();
      throw notStarted;
    }
    return redis;
  }

  /**
   * Starts the process without waiting for it: a caller that must stop it even if a stop comes
   * while it loads its AOF registers {@link #close()} first, then calls {@link #awaitReady()}.
   */
  public static LocalRedis launch(Path dataDir, Path binDir, int port, boolean persistent)
      throws IOException {
    Files.createDirectories(dataDir);
    Files.createDirectories(binDir);
    Path binary =
        ExecutableProvider.newJarResourceProvider(binDir.toFile()).get().toPath().toRealPath();
    Path pidFile = dataDir.toAbsolutePath().resolve("redis.pid");
    stopLeftover(pidFile, binary);
    int actualPort = port > 0 ? port : Ports.free();
    Path conf = dataDir.resolve("redis.conf");
    Files.write(
        conf,
        List.of(
            "port " + actualPort,
            "bind 127.0.0.1",
            "dir " + quoted(dataDir.toAbsolutePath()),
            "pidfile " + quoted(pidFile),
            "appendonly " + (persistent ? "yes" : "no"),
            "appendfsync everysec",
            "save \"\"",
            // Queues and streams live in Redis: never evict them.
            "maxmemory-policy noeviction"));
    Path log = dataDir.resolve("redis.log");
    List<String> command = new ArrayList<>();
    Executables.onPath("setsid").ifPresent(setsid -> command.add(setsid.toString()));
    command.add(binary.toString());
    command.add(conf.toAbsolutePath().toString());
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    return new LocalRedis(process, actualPort, log);
  }

  /**
   * Returns once this process answers on its port; waits up to 20 s, longer while it is still
   * loading its AOF.
   */
  public void awaitReady() throws IOException {
    long deadline = System.currentTimeMillis() + START_MILLIS;
    while (System.currentTimeMillis() < deadline) {
      if (!process.isAlive()) {
        throw new IOException("redis-server exited: " + lastLine(log));
      }
      String answer = command(port, "INFO server");
      if (answer.contains("process_id:" + process.pid() + "\r")) {
        // INFO answers while the AOF loads; PING says -LOADING until it is loaded.
        String ping = command(port, "PING");
        if (ping.equals("+PONG")) {
          return;
        }
        if (ping.startsWith("-LOADING")) {
          deadline = System.currentTimeMillis() + START_MILLIS;
        }
      } else if (answer.contains("process_id:")) {
        // Another server answers there; ours cannot bind and exits.
        throw new IOException("port " + port + " is another Redis's");
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

  /**
   * One inline command's answer from the Redis on {@code port}: a bulk string's body, else its
   * first line; "" while nothing answers.
   */
  static String command(int port, String inline) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
      socket.setSoTimeout(1_000);
      socket.getOutputStream().write((inline + "\r\n").getBytes(StandardCharsets.US_ASCII));
      BufferedReader in =
          new BufferedReader(
              new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
      String header = in.readLine();
      if (header == null || !header.startsWith("$")) {
        return header == null ? "" : header; // +PONG, or an error such as -LOADING
      }
      char[] body = new char[Integer.parseInt(header.substring(1))];
      int read = 0;
      while (read < body.length) {
        int n = in.read(body, read, body.length - read);
        if (n < 0) {
          break;
        }
        read += n;
      }
      return new String(body, 0, read);
    } catch (IOException | NumberFormatException notYet) {
      return "";
    }
  }

  /**
   * A launcher killed with SIGKILL leaves its Redis running, holding the AOF (and, for ./run, the
   * port): the next start here stops it first, if that pid still runs this very binary and no JVM
   * is its parent any more (one still is while another live launcher or test uses it).
   */
  private static void stopLeftover(Path pidFile, Path binary) throws IOException {
    if (!Files.isRegularFile(pidFile)) {
      return;
    }
    Optional<ProcessHandle> leftover;
    try {
      leftover = ProcessHandle.of(Long.parseLong(Files.readString(pidFile).trim()));
    } catch (NumberFormatException unreadable) {
      return;
    }
    String ours = binary.toString();
    Optional<ProcessHandle> redis =
        leftover
            .filter(
                p ->
                    p.info()
                        .command()
                        .map(c -> c.equals(ours) || c.equals(ours + " (deleted)"))
                        .orElse(false))
            .filter(p -> !p.parent().map(LocalRedis::isJava).orElse(false));
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

  private static boolean isJava(ProcessHandle process) {
    return process.info().command().map(c -> Path.of(c).endsWith("java")).orElse(false);
  }

  /** A redis.conf string: a path may hold spaces. */
  private static String quoted(Path path) {
    return '"' + path.toString().replace("\\", "\\\\").replace("\"", "\\\"") + '"';
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
