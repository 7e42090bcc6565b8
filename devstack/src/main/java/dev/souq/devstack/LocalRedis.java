package dev.souq.devstack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import redis.embedded.RedisServer;
import redis.embedded.core.ExecutableProvider;

/**
 * An embedded redis-server (a real Redis 6.2 binary shipped in a Maven Central jar). With a data
 * directory it keeps an append-only file there, so queues, streams and sessions survive a restart.
 */
public final class LocalRedis implements AutoCloseable {
  private final RedisServer server;
  private final int port;

  private LocalRedis(RedisServer server, int port) {
    this.server = server;
    this.port = port;
  }

  /**
   * Starts Redis on {@code port} (0 = any free port), bound to loopback. {@code dataDir} holds the
   * AOF when {@code persistent}; the binary is unpacked into {@code binDir}.
   */
  public static LocalRedis start(Path dataDir, Path binDir, int port, boolean persistent)
      throws IOException {
    Files.createDirectories(dataDir);
    Files.createDirectories(binDir);
    int actualPort = port > 0 ? port : Ports.free();
    RedisServer server =
        RedisServer.newRedisServer()
            .executableProvider(ExecutableProvider.newJarResourceProvider(binDir.toFile()))
            .bind("127.0.0.1")
            .port(actualPort)
            .setting("dir " + dataDir.toAbsolutePath())
            .setting("appendonly " + (persistent ? "yes" : "no"))
            .setting("appendfsync everysec")
            .setting("save \"\"")
            // Queues and streams live in Redis: never evict them.
            .setting("maxmemory-policy noeviction")
            .onShutdownForceStop(true)
            .build();
    server.start();
    return new LocalRedis(server, actualPort);
  }

  /** The port it listens on. */
  public int port() {
    return port;
  }

  /** A {@code REDIS_URL} for it. */
  public String redisUrl() {
    return "redis://127.0.0.1:" + port;
  }

  @Override
  public void close() throws IOException {
    server.stop();
  }
}
