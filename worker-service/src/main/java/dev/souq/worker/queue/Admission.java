package dev.souq.worker.queue;

import dev.souq.shared.redis.LuaScript;
import dev.souq.worker.config.WorkerConfig;
import dev.souq.worker.handler.HandlerRegistry;
import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Whether a fetched job may start: a job of a paused type, or of a type already running its limit
 * across all replicas, is held back (admit.lua) until its type is resumed or a slot frees
 * (release.lua, and reconcile.lua on every replica now and then, which also mends counts a crash
 * left wrong); a job of a paced type over its rate waits on tasks:delayed for its turn. Costs
 * nothing for other jobs: only types that are limited or paced, or that the last fetch saw paused,
 * are asked about, so an unpaused worker without limits never calls these scripts.
 */
@Singleton
public class Admission {
  private static final LuaScript ADMIT = LuaScript.fromClasspath("/lua/admit.lua");
  private static final LuaScript RELEASE =
      LuaScript.fromClasspath("/lua/queue-of.lua", "/lua/release.lua");
  private static final LuaScript RECONCILE =
      LuaScript.fromClasspath("/lua/queue-of.lua", "/lua/reconcile.lua");

  /** What admit.lua decided. */
  public enum Verdict {
    /** Run; no slot taken (the type has no limit). */
    RUN,
    /** Run, holding one of the type's slots until {@link #release}. */
    SLOT,
    /** Held back: it left the processing list for the type's held list. */
    HELD,
    /** Paced: it waits on tasks:delayed for its turn. */
    PACED,
    /** No longer in the processing list: held, paced or handed back by an earlier try. */
    GONE
  }

  private final ReactiveRedisDataSource redis;
  private final TaskKeys keys;
  private final Queues queues;
  private final WorkerIdentity identity;
  private final WorkerConfig config;
  private final HandlerRegistry handlers;
  private volatile Set<String> paused = Set.of();

  Admission(
      ReactiveRedisDataSource redis,
      TaskKeys keys,
      Queues queues,
      WorkerIdentity identity,
      WorkerConfig config,
      HandlerRegistry handlers) {
    this.handlers = handlers;
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

  /** Whether a job of {@code type} must be admitted before it runs. */
  public boolean applies(String type) {
    return queues.limit(type) > 0
        || queues.rate(type) > 0
        || paused.contains(TaskKeys.pausedType(type));
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
                    Integer.toString(queues.rate(type)),
                    config.fetch() == WorkerConfig.FetchMode.RELIABLE ? "1" : "0")),
            "Admitting a job")
        .map(r -> Verdict.valueOf(r.toString().toUpperCase(java.util.Locale.ROOT)));
  }

  /** Gives back the slot {@code job} held; as many held jobs of its type go back as slots free. */
  public Uni<Void> release(Job job) {
    String type = job.task().type();
    List<String> scriptKeys =
        new ArrayList<>(
            List.of(keys.inflight(), keys.slots(identity.id()), keys.paused(), keys.held(type)));
    scriptKeys.addAll(queues.keys());
    List<String> args =
        new ArrayList<>(
            List.of(type, Digests.sha1(job.raw()), Integer.toString(queues.limit(type))));
    args.addAll(queues.names());
    return always(RELEASE.run(redis, scriptKeys, args), "Giving back a slot").replaceWithVoid();
  }

  /**
   * Puts every type's books right (reconcile.lua): its in-flight count from the slots of {@code
   * workers} (those in tasks:workers), and its held jobs back to their queues as far as it is not
   * paused and has free slots, at most {@code most} each. Answers how many went back.
   */
  public Uni<Integer> reconcile(List<String> workers, int most) {
    return redis
        .set(String.class)
        .smembers(keys.paused())
        .chain(
            paused ->
                Multi.createFrom()
                    .iterable(types(paused))
                    .onItem()
                    .transformToUniAndConcatenate(type -> reconcile(type, workers, most))
                    .collect()
                    .with(Collectors.summingInt(Integer::intValue)));
  }

  private Uni<Integer> reconcile(String type, List<String> workers, int most) {
    List<String> scriptKeys =
        new ArrayList<>(List.of(keys.inflight(), keys.paused(), keys.held(type)));
    scriptKeys.addAll(queues.keys());
    workers.forEach(worker -> scriptKeys.add(keys.slots(worker)));
    List<String> args =
        new ArrayList<>(
            List.of(
                type,
                Integer.toString(queues.limit(type)),
                Integer.toString(most),
                Integer.toString(queues.keys().size())));
    args.addAll(queues.names());
    return RECONCILE.run(redis, scriptKeys, args).map(r -> r.toInteger());
  }

  /**
   * The types an operator may care about, given what {@code paused} (tasks:paused) holds: those run
   * here, limited, paced, or paused anywhere (only these can have held jobs).
   */
  public Set<String> types(Set<String> paused) {
    Set<String> types = new TreeSet<>(handlers.types());
    types.addAll(queues.limits().keySet());
    types.addAll(queues.rates().keySet());
    paused.stream().map(TaskKeys::typeOf).filter(t -> t != null).forEach(types::add);
    return types;
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
