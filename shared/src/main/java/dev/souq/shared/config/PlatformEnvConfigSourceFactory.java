package dev.souq.shared.config;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Function;
import java.util.function.Predicate;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Maps the variables a platform hands out ({@code REDIS_URL}, {@code REDIS_HOST}/{@code
 * REDIS_PORT}/{@code REDIS_PASSWORD}, {@code DATABASE_URL}) onto Quarkus' own properties, so every
 * service reads them the same way. They win over {@code QUARKUS_*} variables (ordinal 305 &gt;
 * 300), as docs/contract.md orders; system properties and test overrides still win over them.
 */
public class PlatformEnvConfigSourceFactory implements ConfigSourceFactory {
  static final int ORDINAL = 305;

  @Override
  public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
    Map<String, String> properties = toQuarkus(name -> value(context, name));
    return List.of(new PropertiesConfigSource(properties, "souq-platform-env", ORDINAL));
  }

  @Override
  public OptionalInt getPriority() {
    return OptionalInt.of(ORDINAL);
  }

  /**
   * The Quarkus properties implied by the platform variables that {@code env} returns; datasource
   * keys only where this classpath has the PostgreSQL clients.
   */
  public static Map<String, String> toQuarkus(Function<String, Optional<String>> env) {
    return map(env, PlatformEnvConfigSourceFactory::present);
  }

  static Map<String, String> map(
      Function<String, Optional<String>> env, Predicate<String> classPresent) {
    Map<String, String> properties = new HashMap<>();
    Optional<String> redisUrl = env.apply("REDIS_URL");
    Optional<String> redisHost = env.apply("REDIS_HOST");
    if (redisUrl.isPresent()) {
      properties.put("quarkus.redis.hosts", RedisUrl.fromUrl("REDIS_URL", redisUrl.get()));
    } else if (redisHost.isPresent()) {
      properties.put(
          "quarkus.redis.hosts",
          RedisUrl.fromParts(
              redisHost.get(), env.apply("REDIS_PORT"), env.apply("REDIS_PASSWORD")));
    }
    env.apply("DATABASE_URL")
        .map(url -> DatabaseUrl.parse("DATABASE_URL", url))
        .ifPresent(db -> putDatasource(properties, db, classPresent));
    return properties;
  }

  private static void putDatasource(
      Map<String, String> properties, DatabaseUrl db, Predicate<String> classPresent) {
    // Only the services with a database get datasource keys: elsewhere they would be reported
    // as unknown configuration at every start.
    boolean reactive = classPresent.test("io.quarkus.reactive.pg.client.PgPoolCreator");
    boolean jdbc = classPresent.test("io.quarkus.agroal.DataSource");
    if (!reactive && !jdbc) {
      return;
    }
    if (reactive) {
      properties.put("quarkus.datasource.reactive.url", db.reactiveUrl());
    }
    if (jdbc) {
      properties.put("quarkus.datasource.jdbc.url", db.jdbcUrl());
    }
    db.user().ifPresent(u -> properties.put("quarkus.datasource.username", u));
    db.password().ifPresent(p -> properties.put("quarkus.datasource.password", p));
  }

  private static Optional<String> value(ConfigSourceContext context, String name) {
    ConfigValue value = context.getValue(name);
    return Optional.ofNullable(value == null ? null : value.getValue()).filter(v -> !v.isBlank());
  }

  private static boolean present(String className) {
    try {
      Class.forName(className, false, Thread.currentThread().getContextClassLoader());
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }
}
