package dev.souq.worker.service;

import dev.souq.worker.queue.Admission;
import dev.souq.worker.queue.Queues;
import dev.souq.worker.queue.TaskKeys;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The operator's controls over the queues: pause and resume a queue or a job type, and what each
 * looks like now. A paused queue is skipped by every fetch; a paused type's jobs are held back as
 * they are fetched (their attempts untouched) and go back to their queues when it is resumed.
 */
@Singleton
public class QueueControls {
  private static final int LET_GO_BATCH = 1000;
  private static final int LET_GO_PASSES = 20;

  private final ReactiveRedisDataSource redis;
  private final TaskKeys keys;
  private final Queues queues;
  private final Admission admission;

  QueueControls(ReactiveRedisDataSource redis, TaskKeys keys, Queues queues, Admission admission) {
    this.redis = redis;
    this.keys = keys;
    this.queues = queues;
    this.admission = admission;
  }

  /** A queue: its weight, how many jobs wait on it, whether it is paused. */
  public record QueueView(String name, int weight, long depth, boolean paused) {}

  /**
   * A job type: whether it is paused, its limit across all replicas (null: none), its jobs per
   * second (null: not paced), its jobs in flight under that limit, and its jobs held back (paused,
   * or waiting for a slot).
   */
  public record TypeView(
      String type, boolean paused, Integer limit, Integer rate, long inFlight, long held) {}

  /** {@code GET /api/tasks/queues}. */
  public record View(List<QueueView> queues, List<TypeView> types) {}

  public Uni<View> view() {
    Uni<Set<String>> paused = redis.set(String.class).smembers(keys.paused());
    Uni<Map<String, Long>> inflight = redis.hash(Long.class).hgetall(keys.inflight());
    Uni<List<QueueView>> queueViews =
        paused.chain(
            p ->
                Multi.createFrom()
                    .iterable(queues.all())
                    .onItem()
                    .transformToUniAndConcatenate(
                        q ->
                            redis
                                .list(String.class)
                                .llen(q.key())
                                .map(
                                    depth ->
                                        new QueueView(
                                            q.name(),
                                            q.weight(),
                                            depth,
                                            p.contains(TaskKeys.pausedQueue(q.name())))))
                    .collect()
                    .asList());
    Uni<List<TypeView>> typeViews =
        Uni.combine()
            .all()
            .unis(paused, inflight)
            .asTuple()
            .chain(
                t ->
                    Multi.createFrom()
                        .iterable(admission.types(t.getItem1()))
                        .onItem()
                        .transformToUniAndConcatenate(
                            type ->
                                redis
                                    .list(String.class)
                                    .llen(keys.held(type))
                                    .map(
                                        held ->
                                            new TypeView(
                                                type,
                                                t.getItem1().contains(TaskKeys.pausedType(type)),
                                                queues.limit(type) > 0 ? queues.limit(type) : null,
                                                queues.rate(type) > 0 ? queues.rate(type) : null,
                                                t.getItem2().getOrDefault(type, 0L),
                                                held)))
                        .collect()
                        .asList());
    return Uni.combine()
        .all()
        .unis(queueViews, typeViews)
        .asTuple()
        .map(t -> new View(t.getItem1(), t.getItem2()));
  }

  /** Pauses (or resumes) a queue; false if there is no such queue. */
  public Uni<Boolean> queue(String name, boolean pause) {
    if (!queues.exists(name)) {
      return Uni.createFrom().item(false);
    }
    return mark(TaskKeys.pausedQueue(name), pause).replaceWith(true);
  }

  /** Pauses a type, or resumes it and lets its held jobs go back to their queues. */
  public Uni<Void> type(String type, boolean pause) {
    Uni<Void> marked = mark(TaskKeys.pausedType(type), pause);
    return pause ? marked : marked.chain(() -> letAllGo(LET_GO_PASSES));
  }

  private Uni<Void> mark(String member, boolean pause) {
    return (pause
            ? redis.set(String.class).sadd(keys.paused(), member)
            : redis.set(String.class).srem(keys.paused(), member))
        .replaceWithVoid();
  }

  /**
   * Lets the held jobs go in passes of reconcile.lua (a bounded number here; the reaper's sweeps go
   * on with any left).
   */
  private Uni<Void> letAllGo(int passes) {
    return redis
        .set(String.class)
        .smembers(keys.workers())
        .chain(workers -> admission.reconcile(List.copyOf(workers), LET_GO_BATCH))
        .chain(
            moved ->
                moved >= LET_GO_BATCH && passes > 1
                    ? letAllGo(passes - 1)
                    : Uni.createFrom().voidItem());
  }
}
