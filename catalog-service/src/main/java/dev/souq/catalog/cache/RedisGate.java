package dev.souq.catalog.cache;

import dev.souq.catalog.config.CatalogConfig;
import dev.souq.shared.redis.Deadline;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
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
  private final long retryAfterNanos;
  private volatile long closedUntil;
  private final AtomicBoolean invalidationsOwed = new AtomicBoolean(true);
  private final AtomicLong failures = new AtomicLong();

  RedisGate(CatalogConfig config) {
    this.timeout = config.cache().redisTimeout();
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

  /** Bounds a Redis call by the timeout (see {@link Deadline}); a failure closes the gate. */
  public <T> Uni<T> guard(Uni<T> call) {
    return Deadline.within(call, timeout).onFailure().invoke(this::failed);
  }

  /** A Redis call failed or was late: closes the gate for a while. */
  public void failed(Throwable failure) {
    if (reachable()) {
      Log.warnf("Redis unavailable (%s); serving the catalog from PostgreSQL", failure.toString());
    }
    failures.incrementAndGet();
    closedUntil = System.nanoTime() + retryAfterNanos;
    // Writes made elsewhere during the outage may have left stale entries: check before trusting.
    invalidationsOwed.set(true);
  }
}
