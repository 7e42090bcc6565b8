package dev.souq.worker.runtime;

import dev.souq.shared.redis.RetryDelay;
import dev.souq.worker.config.WorkerConfig;
import dev.souq.worker.metrics.WorkerMetrics;
import dev.souq.worker.queue.ScheduleClaims;
import dev.souq.worker.service.Schedules;
import io.quarkus.logging.Log;
import io.vertx.core.Vertx;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Queues the jobs of due schedules ({@code worker.schedules}). Runs on every replica, with no
 * leader to elect: checking a tick is due and queuing its job are one script, so each tick is
 * queued once however many replicas look, and a replica that dies leaves nothing to hand over.
 */
@Singleton
public class Scheduler {
  private final ScheduleClaims claims;
  private final Schedules schedules;
  private final WorkerConfig config;
  private final WorkerMetrics metrics;
  private final Vertx vertx;
  private final AtomicBoolean running = new AtomicBoolean();
  private final RetryDelay failures =
      new RetryDelay("Queuing scheduled jobs", Duration.ofSeconds(5));
  private long timer = -1;

  Scheduler(
      ScheduleClaims claims,
      Schedules schedules,
      WorkerConfig config,
      WorkerMetrics metrics,
      Vertx vertx) {
    this.claims = claims;
    this.schedules = schedules;
    this.config = config;
    this.metrics = metrics;
    this.vertx = vertx;
  }

  void start() {
    timer = vertx.setPeriodic(Math.max(10, config.scheduleInterval().toMillis()), id -> claim());
    claim();
  }

  void stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
  }

  private void claim() {
    if (!running.compareAndSet(false, true)) {
      return;
    }
    claims
        .claimDue(schedules.enabled())
        .subscribe()
        .with(
            queued -> {
              running.set(false);
              failures.succeeded();
              for (ScheduleClaims.Claimed tick : queued) {
                metrics.scheduled(tick.schedule());
                Log.debugf(
                    "Schedule %s: queued the tick of %s",
                    tick.schedule(), Instant.ofEpochMilli(tick.tick()));
              }
            },
            failure -> {
              running.set(false);
              failures.failed(failure);
            });
  }
}
