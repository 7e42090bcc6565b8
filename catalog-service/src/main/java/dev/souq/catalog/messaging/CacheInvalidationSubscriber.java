package dev.souq.catalog.messaging;

import dev.souq.catalog.cache.CacheKeys;
import dev.souq.catalog.cache.NearCacheL1;
import dev.souq.catalog.config.CacheMode;
import dev.souq.catalog.config.CatalogConfig;
import dev.souq.shared.redis.RetryDelay;
import io.quarkus.logging.Log;
import io.quarkus.redis.client.RedisClientName;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.pubsub.ReactivePubSubCommands.ReactiveRedisSubscriber;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.List;

/**
 * In near mode, listens on {@code catalog:invalidations} and clears this replica's L1 for each
 * write made anywhere. While the subscription is down the L1 is not used, since messages sent
 * meanwhile are lost; it resubscribes with backoff.
 */
@ApplicationScoped
public class CacheInvalidationSubscriber {
  private final ReactiveRedisDataSource redis;
  private final NearCacheL1 l1;
  private final Vertx vertx;
  private final boolean enabled;
  private volatile ReactiveRedisSubscriber subscriber;
  private volatile boolean stopping;
  private boolean retryScheduled;
  private final RetryDelay retry =
      new RetryDelay("Near cache's invalidation channel (L1 off meanwhile)", Duration.ofSeconds(5));

  CacheInvalidationSubscriber(
      @RedisClientName(CatalogConfig.CACHE_REDIS_CLIENT) ReactiveRedisDataSource redis,
      NearCacheL1 l1,
      Vertx vertx,
      CatalogConfig config) {
    this.redis = redis;
    this.l1 = l1;
    this.vertx = vertx;
    this.enabled = config.cache().mode() == CacheMode.NEAR;
  }

  void start(@Observes StartupEvent event) {
    if (enabled) {
      subscribe();
    }
  }

  void stop(@Observes ShutdownEvent event) {
    stopping = true;
    l1.subscribed(false);
    if (subscriber != null) {
      subscriber.unsubscribe().subscribe().with(ok -> {}, failure -> {});
    }
  }

  private void subscribe() {
    redis
        .pubsub(String.class)
        .subscribe(List.of(CacheKeys.INVALIDATIONS), l1::forget, () -> lost(null), this::lost)
        .subscribe()
        .with(
            s -> {
              subscriber = s;
              retry.succeeded();
              l1.subscribed(true);
              Log.infof("Near cache subscribed to %s", CacheKeys.INVALIDATIONS);
            },
            this::lost);
  }

  /** The channel ended ({@code null}) or failed: L1 off until it is back. */
  private synchronized void lost(Throwable failure) {
    l1.subscribed(false);
    if (stopping || retryScheduled) {
      return;
    }
    retryScheduled = true;
    vertx.setTimer(
        retry.failed(failure),
        t -> {
          synchronized (this) {
            retryScheduled = false;
          }
          subscribe();
        });
  }
}
