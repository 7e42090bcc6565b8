package dev.souq.catalog.cache;

import dev.souq.catalog.config.CacheMode;
import dev.souq.catalog.config.CatalogConfig;
import dev.souq.shared.redis.RedisTopology;
import io.quarkus.logging.Log;
import io.quarkus.redis.client.RedisClientName;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Builds the {@link ProductCache} that {@code catalog.cache.mode} asks for. */
@ApplicationScoped
class ProductCacheProducer {

  @Produces
  @ApplicationScoped
  ProductCache productCache(
      CatalogConfig config,
      @RedisClientName(CatalogConfig.CACHE_REDIS_CLIENT) ReactiveRedisDataSource redis,
      @ConfigProperty(name = "quarkus.redis.cache.client-type", defaultValue = "standalone")
          String clientType,
      RedisGate gate,
      NearCacheL1 l1,
      Vertx vertx) {
    RedisTopology topology = RedisTopology.ofClientType(clientType);
    CacheMode mode = config.cache().mode();
    Log.infof("Product cache mode: %s (TTL %s)", mode, config.cache().ttl());
    return switch (mode) {
      case REDIS -> new RedisProductCache(redis, topology, gate, vertx, config);
      case NEAR ->
          new NearProductCache(
              l1, new RedisProductCache(redis, topology, gate, vertx, config), gate);
      case MEMORY -> new MemoryProductCache(config);
      case NONE -> new NoProductCache();
    };
  }
}
