package dev.souq.shared.problem;

import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.Response;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * Answers a request whose server is away: 503 problem+json with Retry-After and a reference id,
 * never a stack trace. An outage fails every request, so the WARN line is rate-limited per server
 * (one per {@code souq.unavailable.log-interval}, counting those left out); each left-out answer's
 * reference is logged at DEBUG. A query the schema cannot take yet (a table, column or function it
 * does not have, a NOT NULL a later migration drops) is an outage too while the migrations run
 * ({@link SchemaState}).
 */
@ApplicationScoped
public class Outages {
  private final long retryAfterSeconds;
  private final long intervalNanos;
  private final String interval;
  private final BooleanSupplier migrating;
  private final ConcurrentMap<String, Budget> budgets = new ConcurrentHashMap<>();

  @Inject
  Outages(UnavailableConfig config, @Any Instance<SchemaState> schema) {
    this(config, () -> schema.stream().anyMatch(SchemaState::migrating));
  }

  Outages(UnavailableConfig config, BooleanSupplier migrating) {
    this.migrating = migrating;
    this.retryAfterSeconds = Math.max(1, (config.retryAfter().toMillis() + 999) / 1000);
    this.intervalNanos = config.logInterval().toNanos();
    this.interval = config.logInterval().toSeconds() + " s";
  }

  /** The 503 for {@code failure} if it is an outage; empty if it is something else. */
  public Optional<Response> answer(Throwable failure) {
    Optional<String> away = DependencyFailures.unavailable(failure);
    if (away.isPresent()) {
      return away.map(dependency -> answer(dependency, failure));
    }
    if (DependencyFailures.schemaBehind(failure) && migrating.getAsBoolean()) {
      return Optional.of(
          answer(
              DependencyFailures.POSTGRESQL,
              "The database is being prepared for this version; retry later",
              failure));
    }
    return Optional.empty();
  }

  /** The 503 for an outage of {@code dependency}. */
  public Response answer(String dependency, Throwable failure) {
    String detail =
        failure instanceof DependencyUnavailableException known
            ? known.getMessage()
            : "A server this request needs is temporarily unavailable; retry later";
    return answer(dependency, detail, failure);
  }

  private Response answer(String dependency, String detail, Throwable failure) {
    String id = UUID.randomUUID().toString();
    long suppressed =
        budgets
            .computeIfAbsent(dependency, d -> new Budget(System.nanoTime()))
            .take(System.nanoTime(), intervalNanos);
    if (suppressed >= 0) {
      Log.warnf(
          "%s unavailable (%s): answering 503, reference %s; %d more such answers in the last %s",
          dependency, summary(failure), id, suppressed, interval);
    } else {
      Log.debugf("%s unavailable: answering 503, reference %s", dependency, id);
    }
    return Response.fromResponse(
            Problem.response(
                Response.Status.SERVICE_UNAVAILABLE, detail + " (reference " + id + ")"))
        .header("Retry-After", retryAfterSeconds)
        .build();
  }

  /** The innermost cause in one line, so the log says what failed without a stack trace. */
  private static String summary(Throwable failure) {
    Throwable root = failure;
    for (int i = 0; i < 16 && root.getCause() != null && root.getCause() != root; i++) {
      root = root.getCause();
    }
    return root.toString();
  }

  /** One log line per interval; the answers in between are counted, not logged. */
  static final class Budget {
    private final AtomicLong next;
    private final AtomicLong skipped = new AtomicLong();

    Budget(long nowNanos) {
      this.next = new AtomicLong(nowNanos);
    }

    /** The answers left out since the last line if this one may log; else -1. */
    long take(long now, long intervalNanos) {
      long due = next.get();
      if (now - due >= 0 && next.compareAndSet(due, now + intervalNanos)) {
        return skipped.getAndSet(0);
      }
      skipped.incrementAndGet();
      return -1;
    }
  }
}
