package dev.souq.devstack;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Where the services' PostgreSQL and Redis are: {@code DATABASE_URL} and {@code REDIS_URL} from the
 * environment, else the embedded servers, started under {@code .souq/} once every port the caller
 * needs (plus theirs) is known to be free, so that nothing starts if one is taken.
 */
final class DataServers {
  private static final String DATABASE = "souq";

  /** The two URLs the services are given. */
  record Urls(String database, String redis) {}

  private final Path state;
  private final Map<String, String> env;
  private final Consumer<Stoppable> started;

  /** {@code started} is told of each server it starts, to stop it later. */
  DataServers(Path state, Map<String, String> env, Consumer<Stoppable> started) {
    this.state = state;
    this.env = env;
    this.started = started;
  }

  Urls start(PortCheck ports) {
    int postgresPort = EnvVars.intValue(env, "SOUQ_DEVSTACK_POSTGRES_PORT", 15432);
    int redisPort = EnvVars.intValue(env, "SOUQ_DEVSTACK_REDIS_PORT", 16379);
    Optional<String> databaseUrl = EnvVars.value(env, "DATABASE_URL");
    Optional<String> redisUrl = EnvVars.value(env, "REDIS_URL");
    if (databaseUrl.isEmpty()) {
      ports.want(postgresPort, "embedded PostgreSQL");
    }
    if (redisUrl.isEmpty()) {
      ports.want(redisPort, "embedded Redis");
    }
    Optional<String> conflict = ports.firstConflict();
    if (conflict.isPresent()) {
      throw new IllegalStateException(conflict.get());
    }
    return new Urls(
        databaseUrl.orElseGet(() -> startPostgres(postgresPort)),
        redisUrl.orElseGet(() -> startRedis(redisPort)));
  }

  private String startPostgres(int port) {
    return timed(
        "PostgreSQL (embedded)",
        () -> {
          LocalPostgres postgres =
              LocalPostgres.start(
                  state.resolve("postgres"), state.resolve("postgres-bin"), port, DATABASE);
          started.accept(postgres::close);
          return postgres.databaseUrl(DATABASE);
        });
  }

  private String startRedis(int port) {
    return timed(
        "Redis (embedded)",
        () -> {
          LocalRedis redis =
              LocalRedis.launch(state.resolve("redis"), state.resolve("redis-bin"), port, true);
          // Stopped by a stop that comes while it still loads its AOF, too.
          started.accept(redis::close);
          redis.awaitReady();
          return redis.redisUrl();
        });
  }

  private interface Step {
    String run() throws Exception;
  }

  private static String timed(String what, Step step) {
    long begin = System.nanoTime();
    try {
      String result = step.run();
      Console.line("✓ %-22s %s  (%.1f s)", what, result, (System.nanoTime() - begin) / 1e9);
      return result;
    } catch (Exception e) {
      throw new IllegalStateException(what + " did not start: " + e.getMessage(), e);
    }
  }
}
