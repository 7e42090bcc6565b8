package dev.souq.worker.runtime;

import dev.souq.shared.redis.LuaScript;
import dev.souq.worker.config.WorkerConfig;
import dev.souq.worker.queue.Admission;
import dev.souq.worker.queue.Queues;
import dev.souq.worker.queue.TaskKeys;
import dev.souq.worker.queue.WorkerIdentity;
import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Returns the in-flight jobs of dead workers (heartbeat expired) to their queues, and their slots
 * of limited types to the pool; then puts the books of held jobs right ({@link
 * Admission#reconcile}), which lets held jobs go as slots free. Counts each hand-back in
 * tasks:deliveries so that a job which kills its worker is not redelivered forever. Runs on every
 * replica: the check and the move are one script, so two replicas never move (or count) a job
 * twice.
 */
@Singleton
public class Reaper {
  private final TaskKeys keys;
  private static final LuaScript REAP =
      LuaScript.fromClasspath("/lua/queue-of.lua", "/lua/reap.lua");

  /**
   * How long delivery counts outlive the last hand-back: long enough for any redelivery, short
   * enough that the counts of jobs that left the queue otherwise (deleted by hand) do not pile up.
   */
  private static final Duration DELIVERY_MEMORY = Duration.ofDays(7);

  /** Most held jobs of a type one sweep lets go (reconcile.lua); the next sweep goes on. */
  private static final int RECONCILE_BATCH = 1000;

  private final ReactiveRedisDataSource redis;
  private final WorkerIdentity identity;
  private final WorkerConfig config;
  private final Vertx vertx;
  private final Queues queues;
  private final Admission admission;
  private final AtomicBoolean running = new AtomicBoolean();
  private long timer = -1;

  Reaper(
      ReactiveRedisDataSource redis,
      WorkerIdentity identity,
      WorkerConfig config,
      Vertx vertx,
      TaskKeys keys,
      Queues queues,
      Admission admission) {
    this.keys = keys;
    this.queues = queues;
    this.admission = admission;
    this.redis = redis;
    this.identity = identity;
    this.config = config;
    this.vertx = vertx;
  }

  void start() {
    long period = Math.max(500, config.heartbeatTtl().toMillis() / 2);
    timer = vertx.setPeriodic(period, id -> sweep());
    sweep();
  }

  void stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
  }

  private void sweep() {
    if (!running.compareAndSet(false, true)) {
      return;
    }
    redis
        .set(String.class)
        .smembers(keys.workers())
        .onItem()
        .transformToMulti(workers -> Multi.createFrom().iterable(workers))
        .filter(worker -> !worker.equals(identity.id()))
        .onItem()
        .transformToUniAndConcatenate(worker -> reap(worker, true))
        .collect()
        .asList()
        .chain(() -> redis.set(String.class).smembers(keys.workers()))
        .chain(live -> admission.reconcile(List.copyOf(live), RECONCILE_BATCH))
        .subscribe()
        .with(
            moved -> running.set(false),
            failure -> {
              running.set(false);
              Log.debugf("Reaper sweep failed: %s", failure.toString());
            });
  }

  /**
   * Returns the jobs of {@code worker} to the queue if its heartbeat is gone; {@code crashed}
   * counts them as delivered to a worker that died (false for a worker's own clean shutdown).
   */
  Uni<Long> reap(String worker, boolean crashed) {
    List<String> scriptKeys =
        new ArrayList<>(
            List.of(
                keys.heartbeat(worker),
                keys.processing(worker),
                keys.workers(),
                keys.deliveries(),
                keys.inflight(),
                keys.slots(worker)));
    scriptKeys.addAll(queues.keys());
    List<String> args =
        new ArrayList<>(
            List.of(worker, crashed ? "1" : "0", Long.toString(DELIVERY_MEMORY.toMillis())));
    args.addAll(queues.names());
    return REAP.run(redis, scriptKeys, args)
        .map(answer -> answer.get(0).toLong())
        .invoke(
            moved -> {
              if (moved > 0) {
                Log.infof("Returned %d jobs of stopped worker %s to their queues", moved, worker);
              }
            });
  }
}
