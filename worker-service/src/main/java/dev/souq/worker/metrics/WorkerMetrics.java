package dev.souq.worker.metrics;

import dev.souq.shared.messages.Task;
import dev.souq.shared.metrics.Gauges;
import dev.souq.worker.handler.HandlerRegistry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * This instance's job metrics (souq_tasks_*), meters cached per type so the hot path does no
 * registry lookups. Queue depths, which are cluster-wide, are sampled by {@code QueueDepths}.
 */
@Singleton
public class WorkerMetrics {
  private final MeterRegistry registry;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final Map<String, Counter> processed = new ConcurrentHashMap<>();
  private final Map<String, Counter> failed = new ConcurrentHashMap<>();
  private final Map<String, Counter> retried = new ConcurrentHashMap<>();
  private final Map<String, Counter> snoozed = new ConcurrentHashMap<>();
  private final Map<String, Counter> dead = new ConcurrentHashMap<>();
  private final Map<String, Counter> scheduled = new ConcurrentHashMap<>();
  private final Map<String, Timer> latency = new ConcurrentHashMap<>();
  private final Map<String, Timer> waits = new ConcurrentHashMap<>();
  private final Counter duplicates;
  private final Map<String, Counter> busy = new ConcurrentHashMap<>();
  private final Counter purged;

  WorkerMetrics(MeterRegistry registry, Gauges gauges, HandlerRegistry handlers) {
    this.registry = registry;
    // Shown from the start, at 0: being put off is rare, and a dashboard should not wait for it.
    handlers.types().forEach(type -> busyCounter(type));
    gauges.register(
        Gauge.builder("souq.tasks.in.flight", inFlight, AtomicInteger::get)
            .description("Jobs this instance is running now"));
    this.duplicates =
        Counter.builder("souq.tasks.duplicates")
            .description("Jobs dropped because their idempotency key had run already")
            .register(registry);
    this.purged =
        Counter.builder("souq.tasks.purged")
            .description("Dead letters removed past worker.dead-letter-retention")
            .register(registry);
  }

  public AtomicInteger inFlight() {
    return inFlight;
  }

  public void processed(String type) {
    counter(processed, "souq.tasks.processed", "type", type, "Jobs whose handler succeeded")
        .increment();
  }

  /**
   * A handler run of {@code type} ended after {@code nanos}: succeeded, or failed (or timed out).
   */
  public void handled(String type, boolean succeeded, long nanos) {
    String outcome = succeeded ? "succeeded" : "failed";
    latency
        .computeIfAbsent(
            type + ' ' + outcome,
            key ->
                Timer.builder("souq.tasks.handler")
                    .description("Handler run time, by type and outcome")
                    .tag("type", type)
                    .tag("outcome", outcome)
                    .publishPercentiles(0.5, 0.99)
                    .publishPercentileHistogram()
                    .minimumExpectedValue(Duration.ofMillis(1))
                    .maximumExpectedValue(Duration.ofMinutes(10))
                    .register(registry))
        .record(nanos, TimeUnit.NANOSECONDS);
  }

  /**
   * {@code task}'s handler starts now: how long it waited since it was due (enqueued, or due again
   * for a retry or a delayed job), by type and queue; nothing for a job that says neither.
   */
  public void queueWait(Task task) {
    Instant due =
        task.runAt() != null
                && (task.enqueuedAt() == null || task.runAt().isAfter(task.enqueuedAt()))
            ? task.runAt()
            : task.enqueuedAt();
    if (due == null) {
      return; // a bare object, as the seed's producers push it, says nothing of when
    }
    String queue = task.queue() == null ? Task.QUEUE : task.queue();
    waits
        .computeIfAbsent(
            task.type() + ' ' + queue,
            key ->
                Timer.builder("souq.tasks.queue.wait")
                    .description("From a job being due to its handler starting")
                    .tag("type", task.type())
                    .tag("queue", queue)
                    .publishPercentileHistogram()
                    .minimumExpectedValue(Duration.ofMillis(1))
                    .maximumExpectedValue(Duration.ofMinutes(10))
                    .register(registry))
        .record(waited(due, Instant.now()));
  }

  /**
   * From {@code since} to {@code now}, within [0, a year]: a producer's time may be anything the
   * schema allows (year 1000, or 3000), and must neither overflow nor reach the histogram as such.
   */
  public static Duration waited(Instant since, Instant now) {
    Duration waited = Duration.between(since, now);
    if (waited.isNegative()) {
      return Duration.ZERO;
    }
    return waited.compareTo(LONGEST_WAIT) > 0 ? LONGEST_WAIT : waited;
  }

  private static final Duration LONGEST_WAIT = Duration.ofDays(365);

  public void failed(String type) {
    counter(failed, "souq.tasks.failed", "type", type, "Handler runs that failed or timed out")
        .increment();
  }

  public void retried(String type) {
    counter(retried, "souq.tasks.retried", "type", type, "Failed jobs scheduled again").increment();
  }

  public void snoozed(String type) {
    counter(snoozed, "souq.tasks.snoozed", "type", type, "Jobs put off by their handler")
        .increment();
  }

  public void dead(String reason) {
    counter(dead, "souq.tasks.dead", "reason", reason, "Jobs moved to the dead letters")
        .increment();
  }

  public void duplicate() {
    duplicates.increment();
  }

  public void busy(String type) {
    busyCounter(type).increment();
  }

  private Counter busyCounter(String type) {
    return counter(
        busy,
        "souq.tasks.busy",
        "type",
        type,
        "Jobs put off for a second because another delivery with their idempotency key ran");
  }

  /** A job of {@code schedule} this instance queued, for a tick or by hand. */
  public void scheduled(String schedule) {
    counter(
            scheduled,
            "souq.tasks.scheduled",
            "schedule",
            schedule,
            "Jobs this instance queued for a schedule")
        .increment();
  }

  public void purged(long count) {
    purged.increment(count);
  }

  private Counter counter(
      Map<String, Counter> cache, String name, String tag, String value, String description) {
    Function<String, Counter> create =
        v -> Counter.builder(name).description(description).tag(tag, v).register(registry);
    return cache.computeIfAbsent(value, create);
  }
}
