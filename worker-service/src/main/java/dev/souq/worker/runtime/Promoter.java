package dev.souq.worker.runtime;

import dev.souq.shared.redis.LuaScript;
import dev.souq.worker.config.WorkerConfig;
import dev.souq.worker.queue.Queues;
import dev.souq.worker.queue.TaskKeys;
import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.vertx.core.Vertx;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Moves delayed jobs and retries that are due from tasks:delayed to their queues (by their {@code
 * queue} field). Runs on every replica; the move is one script, so a job is moved once however many
 * replicas look.
 */
@Singleton
public class Promoter {
  private final TaskKeys keys;
  private static final LuaScript PROMOTE =
      LuaScript.fromClasspath("/lua/queue-of.lua", "/lua/promote.lua");
  private static final int BATCH = 1000;

  private final ReactiveRedisDataSource redis;
  private final WorkerConfig config;
  private final Vertx vertx;
  private final Queues queues;
  private final AtomicBoolean running = new AtomicBoolean();
  private long timer = -1;

  Promoter(
      ReactiveRedisDataSource redis,
      WorkerConfig config,
      Vertx vertx,
      TaskKeys keys,
      Queues queues) {
    this.keys = keys;
    this.queues = queues;
    this.redis = redis;
    this.config = config;
    this.vertx = vertx;
  }

  void start() {
    timer = vertx.setPeriodic(Math.max(10, config.promoteInterval().toMillis()), id -> promote());
  }

  void stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
  }

  private void promote() {
    if (!running.compareAndSet(false, true)) {
      return;
    }
    List<String> scriptKeys = new ArrayList<>(List.of(keys.delayed()));
    scriptKeys.addAll(queues.keys());
    List<String> args = new ArrayList<>(List.of(Integer.toString(BATCH)));
    args.addAll(queues.names());
    PROMOTE
        .run(redis, scriptKeys, args)
        .subscribe()
        .with(
            moved -> {
              running.set(false);
              if (moved.toInteger() == BATCH) {
                promote();
              }
            },
            failure -> {
              running.set(false);
              Log.debugf("Promoting delayed jobs failed: %s", failure.toString());
            });
  }
}
