package dev.souq.worker.handler;

import dev.souq.shared.messages.Task;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** What the test handlers saw: every run of every job, by job id (or by payload name). */
@Singleton
public class Runs {
  /** One run: the task as the handler got it, when it started and on which thread. */
  public record Run(Task task, Instant startedAt, String thread) {}

  private final Map<String, List<Run>> runs = new ConcurrentHashMap<>();

  void record(String key, Task task) {
    runs.computeIfAbsent(key, k -> new CopyOnWriteArrayList<>())
        .add(new Run(task, Instant.now(), Thread.currentThread().getName()));
  }

  public List<Run> of(String key) {
    return runs.getOrDefault(key, List.of());
  }
}
