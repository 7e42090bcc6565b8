package dev.souq.worker.runtime;

import dev.souq.shared.redis.LuaScript;
import dev.souq.worker.config.WorkerConfig;
import dev.souq.worker.queue.Digests;
import dev.souq.worker.queue.TaskKeys;
import dev.souq.worker.queue.WorkerIdentity;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import jakarta.inject.Singleton;
import java.util.List;

/**
 * The Redis side of fetching: a batch per round trip while jobs wait, else BLMOVE (BRPOP in brpop
 * mode) blocking for a second. Jobs are bytes ({@code toBytes()}, never a decoded String), so the
 * outcome scripts remove exactly what was taken; each comes with how often a reaper handed it back
 * after a worker died.
 */
@Singleton
class JobSource {
  private static final LuaScript FETCH = LuaScript.fromClasspath("/lua/fetch.lua");
  private static final String BLOCK_SECONDS = "1";

  private final ReactiveRedisDataSource redis;
  private final TaskKeys keys;
  private final WorkerConfig config;
  private final WorkerIdentity identity;

  JobSource(
      ReactiveRedisDataSource redis, TaskKeys keys, WorkerConfig config, WorkerIdentity identity) {
    this.redis = redis;
    this.keys = keys;
    this.config = config;
    this.identity = identity;
  }

  /** Up to {@code max} jobs, waiting in Redis up to a second for one when there are none. */
  Uni<List<Delivery>> take(int max) {
    Uni<List<Delivery>> batch =
        config.fetch() == WorkerConfig.FetchMode.RELIABLE
            ? FETCH
                .runRaw(
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
}
