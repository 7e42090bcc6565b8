package dev.souq.worker.runtime;

import dev.souq.shared.redis.RetryDelay;
import dev.souq.worker.config.WorkerConfig;
import dev.souq.worker.metrics.WorkerMetrics;
import dev.souq.worker.queue.Queues;
import dev.souq.worker.queue.WorkerIdentity;
import dev.souq.worker.service.JobRunner;
import io.quarkus.logging.Log;
import io.vertx.core.Vertx;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Takes jobs from the queues while this instance has room for them: {@code worker.concurrency}
 * jobs, and {@code worker.max-bytes-in-flight} bytes of them (a fetch may exceed that by its first
 * job), so that a flood of large jobs cannot exhaust the heap. With jobs waiting it takes a batch
 * per round trip; with none it waits in Redis up to {@code worker.idle-poll} for a producer's
 * wake-up, then looks again (two commands per idle-poll; in brpop mode it blocks on the queues for
 * a second). In reliable mode every job taken is already in this worker's processing list,
 * atomically ({@link JobSource}). A job a reaper handed back after its worker died runs alone.
 *
 * <p>A fetch that failed may have failed after Redis moved its jobs, its answer lost on the way (a
 * dropped connection): those jobs sit in this worker's processing list, and no reaper returns them
 * while its heartbeat lives. So after such a failure the worker takes nothing new until the jobs in
 * flight have finished (their outcomes taken by Redis), a pause as long as the longest of them;
 * whatever the list holds then was stranded, and runs as a fetched batch would. (A fetch on a
 * connection gone silent has no deadline of its own: it ends when the connection does.)
 */
@Singleton
public class Fetcher {
  private final JobSource source;
  private final WorkerConfig config;
  private final WorkerIdentity identity;
  private final JobRunner runner;
  private final Vertx vertx;
  private final Queues queues;
  private final AtomicInteger inFlight;
  private final AtomicLong bytesInFlight = new AtomicLong();
  private final AtomicBoolean fetching = new AtomicBoolean();

  /** A fetch failed in reliable mode: the processing list may hold jobs nobody runs. */
  private final AtomicBoolean unsure = new AtomicBoolean();

  /** A job handed back after a worker died, waiting for the others to finish to run alone. */
  private final AtomicReference<Delivery> held = new AtomicReference<>();

  /** Whether such a job runs now. */
  private final AtomicBoolean isolated = new AtomicBoolean();

  private final CompletableFuture<Void> drained = new CompletableFuture<>();
  private volatile boolean stopped = true;
  private final RetryDelay retry = new RetryDelay("Fetching from Redis", Duration.ofSeconds(5));

  Fetcher(
      JobSource source,
      WorkerConfig config,
      WorkerIdentity identity,
      JobRunner runner,
      Vertx vertx,
      WorkerMetrics metrics,
      Queues queues) {
    this.queues = queues;
    this.source = source;
    this.config = config;
    this.identity = identity;
    this.runner = runner;
    this.vertx = vertx;
    this.inFlight = metrics.inFlight();
  }

  void start() {
    stopped = false;
    // Under a fixed WORKER_ID the processing list may hold what a process of that id left when it
    // was killed, with its heartbeat (now renewed by this one) keeping the reapers away: it runs
    // first, as a lost fetch's jobs do. Under a generated id the list is empty.
    unsure.set(config.fetch() == WorkerConfig.FetchMode.RELIABLE);
    Log.infof(
        "Worker %s takes jobs from %s (%s fetch, %d in flight)",
        identity.id(), queues.names(), config.fetch(), config.concurrency());
    next();
  }

  /** Stops taking jobs; those in flight run on. */
  void stop() {
    stopped = true;
    next();
  }

  /** Completes once stopped with nothing in flight and no fetch on the wire. */
  CompletableFuture<Void> drained() {
    return drained;
  }

  private void checkDrained() {
    if (stopped && inFlight.get() == 0 && !fetching.get()) {
      drained.complete(null);
    }
  }

  /**
   * Fetches if there is room and no fetch is on the wire; called again after each job. While a job
   * handed back after a worker died is held or running, nothing else is fetched.
   */
  private void next() {
    if (stopped) {
      Delivery never = held.getAndSet(null);
      if (never != null) {
        // Never started: it stays in the processing list, which the shutdown returns to the queue.
        ended(never);
      }
      checkDrained();
      return;
    }
    if (held.get() != null || isolated.get()) {
      Delivery suspect = inFlight.get() == 1 ? held.getAndSet(null) : null;
      if (suspect != null) {
        isolated.set(true);
        run(suspect, true);
      }
      return;
    }
    if (unsure.get()) {
      // No fetch on the wire, so in flight only goes down: at 0 the list holds only the stranded.
      if (inFlight.get() == 0 && fetching.compareAndSet(false, true)) {
        source.stranded(config.concurrency()).subscribe().with(this::recovered, this::failed);
      }
      return;
    }
    int room = config.concurrency() - inFlight.get();
    long bytes = config.maxBytesInFlight() - bytesInFlight.get();
    if (room <= 0 || bytes <= 0 || !fetching.compareAndSet(false, true)) {
      return;
    }
    source
        .take(Math.min(room, config.fetchBatch()), bytes)
        .subscribe()
        .with(this::dispatch, this::failed);
  }

  /** Whether a failed fetch may have left jobs in the processing list that nobody runs yet. */
  boolean unsure() {
    return unsure.get();
  }

  /** The stranded jobs run; a full batch may have left more, looked for once these finish. */
  private void recovered(List<Delivery> jobs) {
    if (jobs.size() < config.concurrency()) {
      unsure.set(false);
    }
    if (!jobs.isEmpty()) {
      Log.warnf(
          "Worker %s runs %d jobs a fetch took whose answer was lost", identity.id(), jobs.size());
    }
    dispatch(jobs);
  }

  private void dispatch(List<Delivery> jobs) {
    retry.succeeded();
    inFlight.addAndGet(jobs.size());
    jobs.forEach(job -> bytesInFlight.addAndGet(job.job().length));
    // A job that may have killed a worker runs alone, once the others have finished: if it kills
    // this one too, no innocent job is in the processing list to be counted with it. It is held
    // before any other starts, so one finishing at once cannot let a new fetch in beside it.
    Delivery suspect = null;
    for (Delivery job : jobs) {
      boolean mayKill = job.redeliveries() > 0 && job.redeliveries() < config.maxDeliveries();
      if (mayKill && suspect == null && held.compareAndSet(null, job)) {
        suspect = job;
      }
    }
    fetching.set(false);
    for (Delivery job : jobs) {
      if (job != suspect) {
        run(job, false);
      }
    }
    next();
  }

  private void run(Delivery job, boolean alone) {
    runner
        .run(job.job(), job.redeliveries())
        .subscribe()
        .with(done -> finished(job, alone), failure -> finished(job, alone));
  }

  /** Only the job that ran alone ends the isolation; others were already in flight before it. */
  private void finished(Delivery job, boolean alone) {
    if (alone) {
      isolated.set(false);
    }
    ended(job);
    next();
  }

  /** The job no longer takes room. */
  private void ended(Delivery job) {
    bytesInFlight.addAndGet(-job.job().length);
    inFlight.decrementAndGet();
  }

  private void failed(Throwable failure) {
    if (config.fetch() == WorkerConfig.FetchMode.RELIABLE) {
      unsure.set(true);
    }
    vertx.setTimer(
        retry.failed(failure),
        id -> {
          fetching.set(false);
          next();
        });
  }
}
