package dev.souq.catalog.messaging;

import dev.souq.catalog.cache.CacheKeys;
import dev.souq.catalog.cache.NearCacheL1;
import dev.souq.catalog.config.CacheMode;
import dev.souq.catalog.config.CatalogConfig;
import dev.souq.shared.redis.RetryDelay;
import dev.souq.shared.redis.SubscriptionProbe;
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
import java.util.concurrent.TimeoutException;

/**
 * In near mode, listens on {@code catalog:invalidations} and clears this replica's L1 for each
 * write made anywhere. While the subscription is down the L1 is not used, since messages sent
 * meanwhile are lost; it resubscribes with backoff. A subscription gone silent without breaking (a
 * NAT or balancer that dropped the idle flow) is noticed by its {@link SubscriptionProbe}, and
 * counts as down: otherwise the L1 would serve what other replicas have changed until its TTL.
 */
@ApplicationScoped
public class CacheInvalidationSubscriber {
  private final ReactiveRedisDataSource redis;
  private final NearCacheL1 l1;
  private final Vertx vertx;
  private final boolean enabled;
  private final SubscriptionProbe probe;
  private ReactiveRedisSubscriber subscriber;

  /** Which subscription is the current one: callbacks of an earlier one are ignored. */
  private int generation;

  private boolean stopping;
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
    this.probe =
        new SubscriptionProbe(
            vertx,
            CacheKeys.INVALIDATIONS,
            channel -> redis.pubsub(String.class).publish(channel, "probe"));
  }

  void start(@Observes StartupEvent event) {
    if (enabled) {
      probe.start(this::listening, this::deaf);
      subscribe();
    }
  }

  synchronized void stop(@Observes ShutdownEvent event) {
    stopping = true;
    probe.stop();
    l1.subscribed(false);
    if (subscriber != null) {
      subscriber.unsubscribe().subscribe().with(ok -> {}, failure -> {});
    }
  }

  private void subscribe() {
    int mine;
    synchronized (this) {
      mine = ++generation;
    }
    redis
        .pubsub(String.class)
        .subscribe(
            List.of(CacheKeys.INVALIDATIONS, probe.channel()),
            (channel, message) -> received(mine, channel, message),
            () -> lost(mine, null),
            failure -> lost(mine, failure))
        // A SUBSCRIBE never answered (a silent path) is a failure too: the probe only runs once
        // subscribed.
        .ifNoItem()
        .after(SubscriptionProbe.INTERVAL)
        .fail()
        .subscribe()
        .with(s -> subscribed(mine, s), failure -> lost(mine, failure));
  }

  private void received(int from, String channel, String message) {
    if (probe.channel().equals(channel)) {
      if (current(from)) {
        probe.heard();
      }
      return;
    }
    // Any subscription's message is a write made somewhere: forgetting more than needed is safe.
    l1.forget(message);
  }

  private synchronized void subscribed(int mine, ReactiveRedisSubscriber s) {
    if (mine != generation || stopping) {
      s.unsubscribe().subscribe().with(ok -> {}, failure -> {});
      return;
    }
    subscriber = s;
    retry.succeeded();
    probe.reset();
    l1.subscribed(true);
    Log.infof("Near cache subscribed to %s", CacheKeys.INVALIDATIONS);
  }

  private synchronized boolean listening() {
    return subscriber != null;
  }

  private synchronized boolean current(int from) {
    return from == generation;
  }

  /** The subscription heard nothing, not even its probe: down, as if it had failed. */
  private void deaf() {
    int current;
    synchronized (this) {
      current = generation;
    }
    Log.warnf(
        "Near cache's subscription to %s heard nothing for %d s: L1 off, subscribing again",
        CacheKeys.INVALIDATIONS, SubscriptionProbe.INTERVAL.toSeconds());
    lost(current, new TimeoutException("the subscription went silent"));
  }

  /** Subscription {@code from} ended ({@code null}) or failed: L1 off until one is back. */
  private synchronized void lost(int from, Throwable failure) {
    if (from != generation) {
      return; // an earlier subscription, already given up
    }
    l1.subscribed(false);
    if (subscriber != null) {
      // Given up: one that comes back later must not deliver beside its successor for ever.
      subscriber.unsubscribe().subscribe().with(ok -> {}, ignored -> {});
      subscriber = null;
    }
    generation++;
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
