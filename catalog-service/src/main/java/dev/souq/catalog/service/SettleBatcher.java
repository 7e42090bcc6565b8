package dev.souq.catalog.service;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * Deletes applied invalidation rows in one statement per {@code delay} (group commit, as the
 * worker's acks): every stock reservation owes one row per product, and a DELETE of its own per
 * order was one PostgreSQL transaction in five of a checkout. The rows are only bookkeeping once
 * their invalidation reached the cache, so the write that made them does not wait for this. A
 * DELETE that fails is not repeated: its rows stay owed, and the relay, which reapplies whatever it
 * finds, settles them on its next poll.
 */
final class SettleBatcher {
  private static final int MAX_BATCH = 1000;

  private final Vertx vertx;
  private final Function<List<Long>, Uni<Void>> delete;
  private final long delayMs;
  private final ConcurrentLinkedQueue<Long> pending = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean armed = new AtomicBoolean();

  /** {@code delete} removes the rows with these ids (one statement). */
  SettleBatcher(Vertx vertx, Function<List<Long>, Uni<Void>> delete, Duration delay) {
    this.vertx = vertx;
    this.delete = delete;
    this.delayMs = Math.max(1, delay.toMillis());
  }

  /** Deletes these rows with the others owed within the next {@code delay}. */
  void settle(List<Long> ids) {
    pending.addAll(ids);
    arm();
  }

  /** Deletes what is pending now (at shutdown), without waiting for the timer. */
  Uni<Void> flush() {
    List<Long> batch = drain();
    return batch.isEmpty() ? Uni.createFrom().voidItem() : delete.apply(batch);
  }

  /** One timer and at most one DELETE at a time; ids that come meanwhile wait for the next. */
  private void arm() {
    if (!pending.isEmpty() && armed.compareAndSet(false, true)) {
      vertx.setTimer(delayMs, id -> send());
    }
  }

  private void send() {
    List<Long> batch = drain();
    if (batch.isEmpty()) {
      disarm();
      return;
    }
    delete
        .apply(batch)
        .subscribe()
        .with(
            done -> disarm(),
            failure -> {
              Log.warnf(
                  "Settling %d cache invalidations left to the relay: %s",
                  batch.size(), failure.toString());
              disarm();
            });
  }

  private void disarm() {
    armed.set(false);
    arm();
  }

  private List<Long> drain() {
    List<Long> batch = new ArrayList<>();
    for (Long id = pending.poll();
        id != null;
        id = batch.size() < MAX_BATCH ? pending.poll() : null) {
      batch.add(id);
    }
    return batch;
  }
}
