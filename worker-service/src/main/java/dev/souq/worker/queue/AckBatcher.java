package dev.souq.worker.queue;

import dev.souq.shared.redis.LuaScript;
import dev.souq.shared.redis.RetryDelay;
import dev.souq.worker.config.WorkerConfig;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.core.Vertx;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Acknowledges finished jobs: removes them from the processing list, counts them and marks their
 * idempotency keys done, in one script. Acks that arrive while one is on the wire go together in
 * the next (group commit): one round trip per job when idle, a few hundred jobs per round trip
 * under load. An ack that fails is sent again until Redis takes it; until then its job stays in the
 * processing list, so nothing is lost.
 */
@Singleton
public class AckBatcher {
  private final TaskKeys keys;
  private static final LuaScript ACK = LuaScript.fromClasspath("/lua/ack.lua");
  private static final int MAX_BATCH = 500;

  /**
   * One finished job. {@code raw} is null in brpop mode (there is no processing list); {@code
   * deliveryField} is null unless a reaper had handed the job back.
   */
  record Ack(
      byte[] raw,
      String deliveryField,
      String statField,
      String idempotencyKey,
      String mark,
      UniEmitter<? super Void> done) {}

  private final ReactiveRedisDataSource redis;
  private final WorkerIdentity identity;
  private final WorkerConfig config;
  private final Vertx vertx;
  private final ConcurrentLinkedQueue<Ack> pending = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean sending = new AtomicBoolean();
  private final RetryDelay retry = new RetryDelay("Acknowledging jobs", Duration.ofSeconds(5));

  AckBatcher(
      ReactiveRedisDataSource redis,
      WorkerIdentity identity,
      WorkerConfig config,
      Vertx vertx,
      TaskKeys keys) {
    this.keys = keys;
    this.redis = redis;
    this.identity = identity;
    this.config = config;
    this.vertx = vertx;
  }

  /**
   * Acknowledges a job; completes once Redis has it. {@code statField} is counted in tasks:stats
   * (with {@code processed} for {@code processed:<type>}); {@code idempotencyKey} may be null.
   */
  public Uni<Void> ack(Job job, String statField, String idempotencyKey, String mark) {
    byte[] held = config.fetch() == WorkerConfig.FetchMode.RELIABLE ? job.raw() : null;
    String delivery = job.redeliveries() > 0 ? job.deliveryField() : null;
    return Uni.createFrom()
        .emitter(
            emitter -> {
              pending.add(new Ack(held, delivery, statField, idempotencyKey, mark, emitter));
              send();
            });
  }

  private void send() {
    if (!sending.compareAndSet(false, true)) {
      return;
    }
    List<Ack> batch = new ArrayList<>();
    for (Ack ack = pending.poll();
        ack != null;
        ack = batch.size() < MAX_BATCH ? pending.poll() : null) {
      batch.add(ack);
    }
    if (batch.isEmpty()) {
      sending.set(false);
      if (!pending.isEmpty()) {
        send();
      }
      return;
    }
    ACK.runRaw(redis, keys(batch), args(batch))
        .subscribe()
        .with(
            ok -> {
              retry.succeeded();
              sending.set(false);
              batch.forEach(ack -> ack.done().complete(null));
              send();
            },
            failure -> {
              pending.addAll(batch);
              vertx.setTimer(
                  retry.failed(failure),
                  id -> {
                    sending.set(false);
                    send();
                  });
            });
  }

  private List<String> keys(List<Ack> batch) {
    List<String> keys = new ArrayList<>();
    keys.add(identity.processing());
    keys.add(this.keys.stats());
    keys.add(this.keys.deliveries());
    for (Ack ack : batch) {
      if (ack.idempotencyKey() != null) {
        keys.add(this.keys.idempotency(ack.idempotencyKey()));
      }
    }
    return keys;
  }

  private List<Object> args(List<Ack> batch) {
    List<Object> args = new ArrayList<>();
    args.add(Long.toString(config.idempotencyWindow().toMillis()));
    // A held job is counted by the script, if it removes it; one no list holds (brpop mode) is
    // counted here, and again if its batch is sent again after a lost reply.
    List<Ack> held = batch.stream().filter(ack -> ack.raw() != null).toList();
    args.add(Integer.toString(held.size()));
    held.forEach(ack -> args.add(ack.raw()));
    held.forEach(ack -> args.add(ack.statField()));
    Map<String, Long> counts = new LinkedHashMap<>();
    for (Ack ack : batch) {
      if (ack.raw() != null) {
        continue;
      }
      counts.merge(ack.statField(), 1L, Long::sum);
      if (ack.statField().startsWith("processed:")) {
        counts.merge("processed", 1L, Long::sum);
      }
    }
    args.add(Integer.toString(counts.size()));
    counts.forEach(
        (field, count) -> {
          args.add(field);
          args.add(Long.toString(count));
        });
    List<String> deliveries =
        batch.stream().map(Ack::deliveryField).filter(f -> f != null).distinct().toList();
    args.add(Integer.toString(deliveries.size()));
    args.addAll(deliveries);
    for (Ack ack : batch) {
      if (ack.idempotencyKey() != null) {
        args.add(ack.mark());
      }
    }
    return args;
  }
}
