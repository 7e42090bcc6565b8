package dev.souq.worker.runtime;

import dev.souq.worker.config.WorkerConfig;
import dev.souq.worker.queue.TaskKeys;
import dev.souq.worker.queue.WorkerIdentity;
import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.List;

/**
 * Says this worker is alive: its id in tasks:workers and a heartbeat key that expires unless
 * renewed every third of {@code worker.heartbeat-ttl}. When it has expired, the reaper of any
 * replica returns this worker's processing list to the queue.
 */
@Singleton
public class Heartbeat {
  private final TaskKeys keys;
  private final ReactiveRedisDataSource redis;
  private final WorkerIdentity identity;
  private final WorkerConfig config;
  private final Vertx vertx;
  private long timer = -1;
  private volatile boolean registered;
  private volatile String lastForeign;

  Heartbeat(
      ReactiveRedisDataSource redis,
      WorkerIdentity identity,
      WorkerConfig config,
      Vertx vertx,
      TaskKeys keys) {
    this.keys = keys;
    this.redis = redis;
    this.identity = identity;
    this.config = config;
    this.vertx = vertx;
  }

  /** Registers this worker (retrying until Redis answers), then keeps the heartbeat fresh. */
  Uni<Void> start() {
    long period = Math.max(100, config.heartbeatTtl().toMillis() / 3);
    return beat()
        .onFailure()
        .invoke(f -> Log.warnf("Cannot register worker %s yet: %s", identity.id(), f.toString()))
        .onFailure()
        .retry()
        .withBackOff(Duration.ofMillis(200), Duration.ofSeconds(5))
        .indefinitely()
        .invoke(() -> registered = true)
        .invoke(
            () ->
                timer =
                    vertx.setPeriodic(
                        period,
                        id ->
                            beat()
                                .subscribe()
                                .with(
                                    ok -> {},
                                    f -> Log.warnf("Heartbeat failed: %s", f.toString()))));
  }

  private Uni<Void> beat() {
    // The set first: a worker with a heartbeat but missing from the set could never be reaped.
    return redis
        .getRedis()
        .batch(
            List.of(
                Request.cmd(Command.SADD).arg(keys.workers()).arg(identity.id()),
                Request.cmd(Command.SET)
                    .arg(identity.heartbeat())
                    .arg(identity.life())
                    .arg("PX")
                    .arg(config.heartbeatTtl().toMillis())
                    .arg("GET")))
        .invoke(answers -> checkAlone(answers.get(1)))
        .replaceWithVoid();
  }

  /**
   * Once registered, the heartbeat holds this process's life unless another live process beats
   * under the same id: each would take the other's claims for a dead worker's (claim.lua).
   */
  private void checkAlone(Response before) {
    String life = before == null ? null : before.toString();
    // Once per other life: the two processes overwrite each other at every beat.
    if (registered && life != null && !life.equals(identity.life()) && !life.equals(lastForeign)) {
      lastForeign = life;
      Log.errorf(
          "Another live process beats as worker %s (life %s; this one's is %s): WORKER_ID must"
              + " be unique among live workers, or both may run one keyed job at once",
          identity.id(), life, identity.life());
    }
  }

  /** Stops renewing and deletes the heartbeat, so this worker's leftovers may be reaped. */
  Uni<Void> stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
    return redis.key().del(identity.heartbeat()).replaceWithVoid();
  }
}
