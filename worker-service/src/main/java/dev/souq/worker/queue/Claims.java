package dev.souq.worker.queue;

import dev.souq.shared.messages.Task;
import dev.souq.shared.redis.LuaScript;
import dev.souq.worker.config.WorkerConfig;
import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The claims on idempotency keys ({@code lua/claim.lua}, {@code lua/unclaim.lua}): one delivery of
 * a job with a key runs at a time, and a key done within the window does not run again. Settling a
 * job gives its claim up ({@link Settlement}), acking it marks the key done ({@link AckBatcher}).
 */
@Singleton
public class Claims {
  private static final LuaScript CLAIM = LuaScript.fromClasspath("/lua/claim.lua");
  private static final LuaScript UNCLAIM = LuaScript.fromClasspath("/lua/unclaim.lua");

  private final ReactiveRedisDataSource redis;
  private final TaskKeys keys;
  private final WorkerIdentity identity;
  private final WorkerConfig config;
  private final AtomicLong deliveries = new AtomicLong();

  Claims(
      ReactiveRedisDataSource redis, TaskKeys keys, WorkerIdentity identity, WorkerConfig config) {
    this.redis = redis;
    this.keys = keys;
    this.identity = identity;
    this.config = config;
  }

  /** What a key holds once a job with it succeeded, for the idempotency window. */
  static String doneMark(Task task) {
    return "done:" + task.id();
  }

  /**
   * A mark of its own for one delivery in this process, {@code run@<worker id>#<life>.<n>}:
   * claim.lua reads the worker and its life back (a restart under a fixed WORKER_ID is another).
   */
  public String mark() {
    // Not "run:", the older form, whose job ids a producer chooses.
    return "run@" + identity.id() + "#" + identity.life() + "." + deliveries.incrementAndGet();
  }

  /**
   * Claims {@code task}'s key for {@code mark} for {@code lease}: 'run', 'duplicate' (done within
   * the window) or 'busy' (another delivery runs on a live worker). Retried until Redis answers.
   */
  public Uni<String> claim(Task task, String mark, Duration lease) {
    return CLAIM
        .run(
            redis,
            List.of(keys.idempotency(task.idempotencyKey())),
            List.of(mark, Long.toString(lease.toMillis()), keys.heartbeat("")))
        .map(response -> response.toString())
        .onFailure()
        .retry()
        .withBackOff(Duration.ofMillis(100), Duration.ofSeconds(5))
        .indefinitely();
  }

  /**
   * Ends the claim a run past its time limit kept, now that the run has ended: the key done if it
   * {@code succeeded} after all (its retry is then a duplicate), else free for the retry. Retried
   * while the claim's {@code lease} lasts: a success not written would let the retry run again.
   */
  public void ended(Task task, String mark, boolean succeeded, Duration lease) {
    UNCLAIM
        .run(
            redis,
            List.of(keys.idempotency(task.idempotencyKey())),
            List.of(
                mark,
                succeeded ? doneMark(task) : "",
                Long.toString(config.idempotencyWindow().toMillis())))
        .onFailure()
        .retry()
        .withBackOff(Duration.ofMillis(100), Duration.ofSeconds(2))
        .expireIn(lease.toMillis())
        .subscribe()
        .with(
            ended -> {},
            failure ->
                Log.warnf(
                    "The claim of job %s outlived its run (until its lease ends): %s",
                    task.id(), failure.toString()));
  }
}
