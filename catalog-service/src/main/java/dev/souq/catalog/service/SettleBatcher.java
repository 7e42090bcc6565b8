package dev.souq.catalog.service;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Deletes applied invalidation rows in one statement per {@code delay} (group commit, as the
 * worker's acks): every stock reservation owes one row per product, and a DELETE of its own per
 * order was one PostgreSQL transaction in five of a checkout. The rows are only bookkeeping once
 * their invalidation reached the cache, so the write that made them does not wait for this. A
 * DELETE that fails or hangs is not repeated: its rows stay owed, and the relay, which reapplies
 * whatever it finds, settles them. So do ids beyond {@link #MAX_PENDING}, while DELETEs keep
 * failing.
 */
final class SettleBatcher {
  private static final int MAX_BATCH = 1000;
  private static final int MAX_PENDING = 100_000;

  private final Vertx vertx;
  private final Function<List<Long>, Uni<Void>> delete;
  private final long delayMs;
  private final Duration timeout;
  private final ConcurrentLinkedQueue<Long> pending = new ConcurrentLinkedQueue<>();
  private final AtomicInteger size = new AtomicInteger();
  private final AtomicBoolean armed = new AtomicBoolean();

  /**
   * {@code delete} removes the rows with these ids (one statement); one that has not answered
   * within {@code timeout} is given up.
   */
  SettleBatcher(
      Vertx vertx, Function<List<Long>, Uni<Void>> delete, Duration delay, Duration timeout) {
    this.vertx = vertx;
    this.delete = delete;
    this.delayMs = Math.max(1, delay.toMillis());
    this.timeout = timeout;
  }

  /** Deletes these rows with the others owed within the next {@code delay}. */
  void settle(List<Long> ids) {
    if (size.addAndGet(ids.size()) > MAX_PENDING) {
      size.addAndGet(-ids.size());
      return;
    }
    pending.addAll(ids);
    arm();
  }

  /** Deletes what is pending now (at shutdown, up to one batch), without waiting for the timer. */
  Uni<Void> flush() {
    List<Long> batch = drain();
    return batch.isEmpty()
        ? Uni.createFrom().voidItem()
        : Uni.createFrom().deferred(() -> delete.apply(batch));
  }

  /** One timer and at most one DELETE at a time; ids that come meanwhile wait for the next. */
  private void arm() {
    if (!pending.isEmpty() && armed.compareAndSet(false, true)) {
      try {
        vertx.setTimer(delayMs, id -> send());
      } catch (RuntimeException closed) {
        // Vert.x is shutting down: what is pending stays owed, for the relay.
        armed.set(false);
      }
    }
  }

  private void send() {
    List<Long> batch = drain();
    if (batch.isEmpty()) {
      disarm();
      return;
    }
    Uni.createFrom()
        .deferred(() -> delete.apply(batch))
        .ifNoItem()
        .after(timeout)
        .fail()
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
    size.addAndGet(-batch.size());
    return batch;
  }
}
