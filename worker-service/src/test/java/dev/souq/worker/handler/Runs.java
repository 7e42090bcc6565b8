package dev.souq.worker.handler;

import dev.souq.shared.messages.Task;
import io.quarkus.arc.Arc;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/** What the test handlers saw: every run of every job, by job id (or by payload name). */
@Singleton
public class Runs {
  /**
   * One run: the task as the handler got it, when it started, on which thread, its place among all
   * runs of this instance (1, 2, …), which orders starts that share an instant, and whether a CDI
   * request context was active in it.
   */
  public record Run(
      Task task, Instant startedAt, String thread, long seq, boolean inRequestContext) {}

  private final Map<String, List<Run>> runs = new ConcurrentHashMap<>();
  private final AtomicLong started = new AtomicLong();
  private final Set<String> released = ConcurrentHashMap.newKeySet();
  private final Map<String, CompletableFuture<Void>> gates = new ConcurrentHashMap<>();

  void record(String key, Task task) {
    runs.computeIfAbsent(key, k -> new CopyOnWriteArrayList<>())
        .add(
            new Run(
                task,
                Instant.now(),
                Thread.currentThread().getName(),
                started.incrementAndGet(),
                Arc.container().requestContext().isActive()));
  }

  public List<Run> of(String key) {
    return runs.getOrDefault(key, List.of());
  }

  /**
   * Lets the jobs named {@code key} that fail until released succeed from their next run, and the
   * gated ones that wait for it finish.
   */
  public void release(String key) {
    released.add(key);
    gate(key).complete(null);
  }

  /** Completes once {@code key} is released. */
  CompletableFuture<Void> gate(String key) {
    return gates.computeIfAbsent(key, k -> new CompletableFuture<>());
  }

  boolean released(String key) {
    return released.contains(key);
  }
}
