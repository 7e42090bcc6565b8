package dev.souq.testing;

import dev.souq.devstack.LocalPostgres;
import dev.souq.devstack.LocalRedis;
import dev.souq.shared.config.DatabaseUrl;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The Redis and PostgreSQL that a module's tests use, started at most once per test JVM: the
 * servers named by {@code REDIS_URL}/{@code DATABASE_URL} when set (CI, a developer's own servers),
 * else an embedded pair. Services reach Redis through a {@link TcpProxy} so tests can simulate an
 * outage.
 */
public final class TestStack {
  // Quarkus gives each test profile a class loader of its own, so a static field would start a
  // second stack; JVM-wide system properties (strings only) remember the one stack instead.
  private static final String KEY = "souq.test.stack";

  private final String redisUrl;
  private final String databaseUrl;
  private final ProxyControl redisProxy;
  private final ProxyControl postgresProxy;

  private TestStack(String state) {
    String[] parts = state.split(" ");
    this.redisUrl = parts[0];
    this.databaseUrl = parts[1];
    this.redisProxy = new ProxyControl(Integer.parseInt(parts[2]), Integer.parseInt(parts[3]));
    this.postgresProxy = new ProxyControl(Integer.parseInt(parts[4]), Integer.parseInt(parts[5]));
  }

  /** The stack of this JVM, started on first use and stopped when the JVM exits. */
  public static TestStack get() {
    synchronized (System.getProperties()) {
      String state = System.getProperty(KEY);
      if (state == null) {
        try {
          state = start();
        } catch (IOException e) {
          throw new UncheckedIOException("Could not start Redis/PostgreSQL for the tests", e);
        }
        System.setProperty(KEY, state);
      }
      return new TestStack(state);
    }
  }

  private static String start() throws IOException {
    Path work = Path.of("target", "souq-test").toAbsolutePath();
    Path binaries = projectRoot().resolve(".souq").resolve("test-bin");
    Optional<String> redis = env("REDIS_URL");
    Optional<String> database = env("DATABASE_URL");
    String redisUrl;
    if (redis.isPresent()) {
      redisUrl = redis.get();
    } else {
      LocalRedis local = LocalRedis.start(work.resolve("redis"), binaries, 0, false);
      onExit(local);
      redisUrl = local.redisUrl();
    }
    String databaseUrl;
    if (database.isPresent()) {
      databaseUrl = database.get();
    } else {
      LocalPostgres local =
          LocalPostgres.start(work.resolve("postgres"), binaries, 0, "souq_test", true);
      onExit(local);
      databaseUrl = local.databaseUrl("souq_test");
    }
    URI redisTarget = URI.create(redisUrl);
    TcpProxy redisProxy =
        new TcpProxy(
            redisTarget.getHost(), redisTarget.getPort() == -1 ? 6379 : redisTarget.getPort());
    DatabaseUrl db = DatabaseUrl.parse("DATABASE_URL", databaseUrl);
    TcpProxy postgresProxy = new TcpProxy(db.host(), db.port());
    return String.join(
        " ",
        redisUrl,
        databaseUrl,
        Integer.toString(redisProxy.port()),
        Integer.toString(redisProxy.controlPort()),
        Integer.toString(postgresProxy.port()),
        Integer.toString(postgresProxy.controlPort()));
  }

  /** The real Redis, for a test's own client (not through the proxy). */
  public String redisUrl() {
    return redisUrl;
  }

  /** The Redis URL the service under test gets: through the proxy, credentials kept. */
  public String proxiedRedisUrl() {
    URI real = URI.create(redisUrl);
    String auth = real.getRawUserInfo() == null ? "" : real.getRawUserInfo() + "@";
    String path = real.getRawPath() == null ? "" : real.getRawPath();
    return real.getScheme() + "://" + auth + "127.0.0.1:" + redisProxy.port() + path;
  }

  /** The real PostgreSQL database, as a {@code DATABASE_URL}. */
  public String databaseUrl() {
    return databaseUrl;
  }

  /** The database URL the service under test gets: through the proxy. */
  public String proxiedDatabaseUrl() {
    URI real = URI.create(databaseUrl);
    String auth = real.getRawUserInfo() == null ? "" : real.getRawUserInfo() + "@";
    String query = real.getRawQuery() == null ? "" : "?" + real.getRawQuery();
    return real.getScheme()
        + "://"
        + auth
        + "127.0.0.1:"
        + postgresProxy.port()
        + real.getRawPath()
        + query;
  }

  /** The relay between the service and PostgreSQL: {@code cut()} it to take the database away. */
  public ProxyControl postgresProxy() {
    return postgresProxy;
  }

  /** The relay between the service and Redis: {@code cut()} it to take Redis away. */
  public ProxyControl redisProxy() {
    return redisProxy;
  }

  private static Optional<String> env(String name) {
    return Optional.ofNullable(System.getenv(name)).filter(v -> !v.isBlank());
  }

  private static void onExit(AutoCloseable server) {
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    server.close();
                  } catch (Exception ignored) {
                    // the JVM is going away anyway
                  }
                }));
  }

  /** The folder holding {@code mvnw}, so the unpacked binaries are shared by all modules. */
  private static Path projectRoot() {
    Path dir = Path.of("").toAbsolutePath();
    for (Path p = dir; p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve("mvnw"))) {
        return p;
      }
    }
    return dir;
  }
}
