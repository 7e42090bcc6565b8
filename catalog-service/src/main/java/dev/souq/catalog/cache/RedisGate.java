package dev.souq.catalog.cache;

import dev.souq.catalog.config.CatalogConfig;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Decides whether the cache may use Redis right now. A Redis call that fails or exceeds the short
 * timeout closes the gate for a while (requests go straight to PostgreSQL, marked BYPASS), and the
 * gate stays closed until the invalidation relay has confirmed that no write's invalidation is
 * still owed: after an outage nothing cached before it is trusted blindly.
 */
@ApplicationScoped
public class RedisGate {
  private final Duration timeout;
  private final long timeoutMillis;
  private final long retryAfterNanos;
  private volatile long closedUntil;
  private final AtomicBoolean invalidationsOwed = new AtomicBoolean(true);
  private final AtomicLong failures = new AtomicLong();

  RedisGate(CatalogConfig config) {
    this.timeout = config.cache().redisTimeout();
    this.timeoutMillis = Math.max(1, timeout.toMillis());
    this.retryAfterNanos = config.cache().redisRetryAfter().toNanos();
  }

  /** Whether reads may come from Redis. */
  public boolean open() {
    return !invalidationsOwed.get() && System.nanoTime() - closedUntil >= 0;
  }

  /** Whether Redis may be tried at all (the relay tries it to pay what is owed). */
  public boolean reachable() {
    return System.nanoTime() - closedUntil >= 0;
  }

  /** Counts Redis failures; the relay reads it before looking at the owed invalidations. */
  public long failures() {
    return failures.get();
  }

  /** Set by the relay: some committed write's invalidation has not reached Redis yet. */
  public void invalidationsOwed() {
    invalidationsOwed.set(true);
  }

  /**
   * Set by the relay when it found nothing owed, unless Redis failed since it began to look (then a
   * write elsewhere may have failed to invalidate unseen).
   */
  public void nothingOwed(long failuresBeforeLook) {
    if (failures.get() == failuresBeforeLook) {
      invalidationsOwed.set(false);
    }
  }

  /**
   * Bounds a Redis call by the timeout; a failure closes the gate. On a Vert.x context the timeout
   * is an event-loop timer (cheap on the hot path) and a failure comes back on that context, so a
   * fallback to Hibernate Reactive runs where it must.
   */
  public <T> Uni<T> guard(Uni<T> call) {
    Context context = Vertx.currentContext();
    if (context == null) {
      return call.ifNoItem().after(timeout).fail().onFailure().invoke(this::close);
    }
    return Uni.createFrom()
        .emitter(
            emitter -> {
              AtomicBoolean settled = new AtomicBoolean();
              long timer =
                  context
                      .owner()
                      .setTimer(
                          timeoutMillis,
                          id -> {
                            if (settled.compareAndSet(false, true)) {
                              TimeoutException late =
                                  new TimeoutException("Redis did not answer in " + timeout);
                              close(late);
                              emitter.fail(late);
                            }
                          });
              call.subscribe()
                  .with(
                      item -> {
                        if (settled.compareAndSet(false, true)) {
                          context.owner().cancelTimer(timer);
                          emitter.complete(item);
                        }
                      },
                      failure -> {
                        if (settled.compareAndSet(false, true)) {
                          context.owner().cancelTimer(timer);
                          close(failure);
                          context.runOnContext(v -> emitter.fail(failure));
                        }
                      });
            });
  }

  private void close(Throwable failure) {
    if (reachable()) {
      Log.warnf("Redis unavailable (%s); serving the catalog from PostgreSQL", failure.toString());
    }
    failures.incrementAndGet();
    closedUntil = System.nanoTime() + retryAfterNanos;
    // Writes made elsewhere during the outage may have left stale entries: check before trusting.
    invalidationsOwed.set(true);
  }
}
