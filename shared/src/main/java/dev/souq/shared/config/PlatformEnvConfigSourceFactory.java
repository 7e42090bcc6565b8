package dev.souq.shared.config;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;
import java.util.ArrayList;
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
 * REDIS_PORT}/{@code REDIS_PASSWORD}, {@code REDIS_SENTINELS}/{@code REDIS_MASTER_NAME}, {@code
 * REDIS_CLUSTER_NODES}, {@code CATALOG_CACHE_REDIS_URL}, {@code DATABASE_URL}) onto Quarkus' own
 * properties, so every service reads them the same way. They win over {@code QUARKUS_*} variables
 * (ordinal 305 &gt; 300), as docs/contract.md orders; system properties and test overrides still
 * win over them.
 */
public class PlatformEnvConfigSourceFactory implements ConfigSourceFactory {
  static final int ORDINAL = 305;
  private static final String CACHE_REDIS_URL = "CATALOG_CACHE_REDIS_URL";

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
    putRedis(properties, env);
    putCacheRedis(properties, env);
    env.apply("DATABASE_URL")
        .map(url -> DatabaseUrl.parse("DATABASE_URL", url))
        .ifPresent(db -> putDatasource(properties, db, classPresent));
    return properties;
  }

  /**
   * One Redis topology: standalone ({@code REDIS_URL}, or {@code REDIS_HOST} and its parts),
   * Sentinel ({@code REDIS_SENTINELS} + {@code REDIS_MASTER_NAME}) or Cluster ({@code
   * REDIS_CLUSTER_NODES}); in the latter two {@code REDIS_PASSWORD} is the client's default
   * password.
   */
  private static void putRedis(
      Map<String, String> properties, Function<String, Optional<String>> env) {
    Optional<String> redisUrl = env.apply("REDIS_URL");
    Optional<String> redisHost = env.apply("REDIS_HOST");
    Optional<String> sentinels = env.apply("REDIS_SENTINELS");
    Optional<String> clusterNodes = env.apply("REDIS_CLUSTER_NODES");
    List<String> topologies = new ArrayList<>();
    if (redisUrl.isPresent() || redisHost.isPresent()) {
      topologies.add(redisUrl.isPresent() ? "REDIS_URL" : "REDIS_HOST");
    }
    sentinels.ifPresent(v -> topologies.add("REDIS_SENTINELS"));
    clusterNodes.ifPresent(v -> topologies.add("REDIS_CLUSTER_NODES"));
    if (topologies.size() > 1) {
      throw new IllegalArgumentException(
          "Redis is named twice ("
              + String.join(", ", topologies)
              + "): set one of REDIS_URL, REDIS_SENTINELS and REDIS_CLUSTER_NODES");
    }
    Optional<String> password = env.apply("REDIS_PASSWORD");
    if (redisUrl.isPresent()) {
      properties.put("quarkus.redis.hosts", RedisUrl.fromUrl("REDIS_URL", redisUrl.get()));
    } else if (redisHost.isPresent()) {
      properties.put(
          "quarkus.redis.hosts",
          RedisUrl.fromParts(redisHost.get(), env.apply("REDIS_PORT"), password));
    } else if (sentinels.isPresent()) {
      String master =
          env.apply("REDIS_MASTER_NAME")
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          "REDIS_MASTER_NAME is missing: REDIS_SENTINELS needs the name the"
                              + " sentinels monitor the master by"));
      properties.put(
          "quarkus.redis.hosts", RedisUrl.fromList("REDIS_SENTINELS", sentinels.get(), 26379));
      properties.put("quarkus.redis.client-type", "sentinel");
      properties.put("quarkus.redis.master-name", master.trim());
      properties.put("quarkus.redis.role", "master");
      // Drop the old master's connections as soon as the sentinels promote a replica.
      properties.put("quarkus.redis.auto-failover", "true");
      password.ifPresent(p -> properties.put("quarkus.redis.password", p));
    } else if (clusterNodes.isPresent()) {
      properties.put(
          "quarkus.redis.hosts",
          RedisUrl.fromList("REDIS_CLUSTER_NODES", clusterNodes.get(), 6379));
      properties.put("quarkus.redis.client-type", "cluster");
      password.ifPresent(p -> properties.put("quarkus.redis.password", p));
    }
  }

  /**
   * catalog-service's cache on a Redis of its own ({@code CATALOG_CACHE_REDIS_URL}, one Redis: a
   * cache needs no failover), the client {@code quarkus.redis.cache}; unset, catalog's
   * application.properties points that client at the shared Redis.
   */
  private static void putCacheRedis(
      Map<String, String> properties, Function<String, Optional<String>> env) {
    env.apply(CACHE_REDIS_URL)
        .ifPresent(
            url -> {
              properties.put("quarkus.redis.cache.hosts", RedisUrl.fromUrl(CACHE_REDIS_URL, url));
              properties.put("quarkus.redis.cache.client-type", "standalone");
              // Not the shared Redis' password (catalog's default for this client): the URL
              // carries its own. An empty value here hides the lower one.
              properties.put("quarkus.redis.cache.password", "");
            });
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
