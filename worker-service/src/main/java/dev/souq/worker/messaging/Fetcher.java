package dev.souq.worker.messaging;

import dev.souq.worker.config.WorkerConfig;
import dev.souq.worker.metrics.WorkerMetrics;
import dev.souq.worker.queue.BinaryScript;
import dev.souq.worker.queue.Digests;
import dev.souq.worker.queue.TaskKeys;
import dev.souq.worker.service.JobRunner;
import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Takes jobs from {@code tasks} while this instance has room for them ({@code worker.concurrency}).
 * With jobs waiting it takes a batch per round trip; with none it blocks in Redis for a second
 * (BLMOVE, or BRPOP in brpop mode), so an idle worker costs one command per second. In reliable
 * mode every job taken is already in this worker's processing list, atomically. Jobs are bytes
 * ({@code toBytes()}, never a decoded String), so the outcome scripts remove exactly what was
 * taken; each comes with how often a reaper handed it back after a worker died.
 */
@Singleton
public class Fetcher {
  private static final BinaryScript FETCH = BinaryScript.fromClasspath("/lua/fetch.lua");
  private static final String BLOCK_SECONDS = "1";

  private final ReactiveRedisDataSource redis;
  private final TaskKeys keys;
  private final WorkerConfig config;
  private final WorkerIdentity identity;
  private final JobRunner runner;
  private final Vertx vertx;
  private final AtomicInteger inFlight;
  private final AtomicBoolean fetching = new AtomicBoolean();
  private final CompletableFuture<Void> drained = new CompletableFuture<>();
  private volatile boolean stopped = true;
  private int failures;

  Fetcher(
      ReactiveRedisDataSource redis,
      WorkerConfig config,
      WorkerIdentity identity,
      JobRunner runner,
      Vertx vertx,
      WorkerMetrics metrics,
      TaskKeys keys) {
    this.redis = redis;
    this.keys = keys;
    this.config = config;
    this.identity = identity;
    this.runner = runner;
    this.vertx = vertx;
    this.inFlight = metrics.inFlight();
  }

  void start() {
    stopped = false;
    Log.infof(
        "Worker %s takes jobs from %s (%s fetch, %d in flight)",
        identity.id(), TaskKeys.QUEUE, config.fetch(), config.concurrency());
    next();
  }

  /** Stops taking jobs; those in flight run on. */
  void stop() {
    stopped = true;
    checkDrained();
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

  /** Fetches if there is room and no fetch is on the wire; called again after each job. */
  private void next() {
    if (stopped) {
      checkDrained();
      return;
    }
    int room = config.concurrency() - inFlight.get();
    if (room <= 0 || !fetching.compareAndSet(false, true)) {
      return;
    }
    take(Math.min(room, config.fetchBatch())).subscribe().with(this::dispatch, this::failed);
  }

  private Uni<List<Delivery>> take(int max) {
    Uni<List<Delivery>> batch =
        config.fetch() == WorkerConfig.FetchMode.RELIABLE
            ? FETCH
                .run(
                    redis,
                    List.of(TaskKeys.QUEUE, identity.processing(), keys.deliveries()),
                    List.of(Integer.toString(max)))
                .map(Delivery::counted)
            : redis
                .getRedis()
                .send(Request.cmd(Command.RPOP).arg(TaskKeys.QUEUE).arg(max))
                .map(Delivery::uncounted);
    return batch.chain(jobs -> jobs.isEmpty() ? block() : Uni.createFrom().item(jobs));
  }

  /** Waits in Redis for the next job, at most a second. */
  private Uni<List<Delivery>> block() {
    Request request =
        config.fetch() == WorkerConfig.FetchMode.RELIABLE
            ? Request.cmd(Command.BLMOVE)
                .arg(TaskKeys.QUEUE)
                .arg(identity.processing())
                .arg("RIGHT")
                .arg("LEFT")
                .arg(BLOCK_SECONDS)
            : Request.cmd(Command.BRPOP).arg(TaskKeys.QUEUE).arg(BLOCK_SECONDS);
    boolean popped = config.fetch() == WorkerConfig.FetchMode.BRPOP;
    return redis
        .getRedis()
        .send(request)
        .chain(
            response -> {
              if (response == null) {
                return Uni.createFrom().item(List.<Delivery>of());
              }
              // BRPOP answers [list, job]; BLMOVE answers the job.
              return popped
                  ? Uni.createFrom().item(List.of(new Delivery(response.get(1).toBytes(), 0)))
                  : redeliveries(response.toBytes()).map(List::of);
            });
  }

  /** A job BLMOVE took, with its delivery count (one lookup: this path runs only when idle). */
  private Uni<Delivery> redeliveries(byte[] job) {
    return redis
        .getRedis()
        .send(Request.cmd(Command.HGET).arg(keys.deliveries()).arg(Digests.sha1(job)))
        .map(count -> new Delivery(job, count == null ? 0 : count.toInteger()))
        // The job is in the processing list already: run it rather than strand it there.
        .onFailure()
        .recoverWithItem(new Delivery(job, 0));
  }

  private void dispatch(List<Delivery> jobs) {
    if (failures > 0) {
      Log.infof("Fetching from Redis works again after %d failures", failures);
      failures = 0;
    }
    inFlight.addAndGet(jobs.size());
    fetching.set(false);
    for (Delivery job : jobs) {
      runner
          .run(job.job(), job.redeliveries())
          .subscribe()
          .with(done -> finished(), failure -> finished());
    }
    next();
  }

  private void finished() {
    inFlight.decrementAndGet();
    next();
  }

  private void failed(Throwable failure) {
    if (failures++ == 0) {
      Log.warnf("Fetching from Redis failed; retrying with backoff: %s", failure.toString());
    }
    long delay = Math.min(5000, 100L << Math.min(failures, 6));
    vertx.setTimer(
        delay,
        id -> {
          fetching.set(false);
          next();
        });
  }
}
