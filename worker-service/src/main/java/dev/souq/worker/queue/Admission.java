package dev.souq.worker.queue;

import dev.souq.shared.redis.LuaScript;
import dev.souq.worker.config.WorkerConfig;
import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Whether a fetched job may start: a job of a paused type, or of a type already running its limit
 * across all replicas, is held back (admit.lua) until its type is resumed or a slot frees
 * (release.lua); a job of a paced type over its rate waits on tasks:delayed for its turn. Costs
 * nothing for other jobs: only types that are limited or paced, or that the last fetch saw paused,
 * are asked about, so an unpaused worker without limits never calls these scripts.
 */
@Singleton
public class Admission {
  private static final LuaScript ADMIT = LuaScript.fromClasspath("/lua/admit.lua");
  private static final LuaScript RELEASE =
      LuaScript.fromClasspath("/lua/queue-of.lua", "/lua/release.lua");

  /** What admit.lua decided. */
  public enum Verdict {
    /** Run; no slot taken (the type has no limit). */
    RUN,
    /** Run, holding one of the type's slots until {@link #release}. */
    SLOT,
    /** Held back: it left the processing list for the type's held list. */
    HELD,
    /** Paced: it waits on tasks:delayed for its turn. */
    PACED
  }

  private final ReactiveRedisDataSource redis;
  private final TaskKeys keys;
  private final Queues queues;
  private final WorkerIdentity identity;
  private final WorkerConfig config;
  private volatile Set<String> paused = Set.of();

  Admission(
      ReactiveRedisDataSource redis,
      TaskKeys keys,
      Queues queues,
      WorkerIdentity identity,
      WorkerConfig config) {
    this.redis = redis;
    this.keys = keys;
    this.queues = queues;
    this.identity = identity;
    this.config = config;
  }

  /** What tasks:paused held at the last fetch ({@code queue:<name>}, {@code type:<type>}). */
  public void seen(Set<String> paused) {
    this.paused = paused;
  }

  public Set<String> paused() {
    return paused;
  }

  /** Whether a job of {@code type} must be admitted before it runs. */
  public boolean applies(String type) {
    return queues.limit(type) > 0 || queues.rate(type) > 0 || paused.contains("type:" + type);
  }

  /** Admits the job (its exact bytes are in this worker's processing list) or holds it back. */
  public Uni<Verdict> admit(Job job) {
    String type = job.task().type();
    return always(
            ADMIT.runRaw(
                redis,
                List.of(
                    identity.processing(),
                    keys.paused(),
                    keys.inflight(),
                    keys.slots(identity.id()),
                    keys.held(type),
                    keys.delayed(),
                    keys.paced(type),
                    keys.rate(type),
                    keys.stats()),
                List.of(
                    job.raw(),
                    type,
                    Integer.toString(queues.limit(type)),
                    Integer.toString(queues.rate(type)))),
            "Admitting a job")
        .map(r -> Verdict.valueOf(r.toString().toUpperCase(java.util.Locale.ROOT)));
  }

  /** Gives back this worker's slot of {@code type}; one held job of it goes back to its queue. */
  public Uni<Void> release(String type) {
    return always(letGo(type, identity.id(), 1, 1), "Giving back a slot").replaceWithVoid();
  }

  /**
   * Lets up to {@code most} held jobs of {@code type} go back to their queues (none while the type
   * is paused), after giving back {@code slots} of {@code worker}'s slots of it. Answers how many
   * went back.
   */
  public Uni<Integer> letGo(String type, String worker, int slots, int most) {
    List<String> scriptKeys =
        new ArrayList<>(
            List.of(keys.inflight(), keys.slots(worker), keys.paused(), keys.held(type)));
    scriptKeys.addAll(queues.keys());
    List<String> args =
        new ArrayList<>(
            List.of(
                type,
                Integer.toString(slots),
                Integer.toString(most),
                Integer.toString(config.maxJobBytes())));
    args.addAll(queues.names());
    return RELEASE.run(redis, scriptKeys, args).map(r -> r.toInteger());
  }

  /** A write whose loss would strand a job or a slot: tried again until Redis takes it. */
  private static <T> Uni<T> always(Uni<T> write, String what) {
    return write
        .onFailure()
        .invoke(f -> Log.warnf("%s failed; retrying: %s", what, f.toString()))
        .onFailure()
        .retry()
        .withBackOff(Duration.ofMillis(100), Duration.ofSeconds(5))
        .indefinitely();
  }
}
