package dev.souq.worker.queue;

import dev.souq.shared.messages.TaskQueues;
import dev.souq.worker.config.WorkerConfig;
import io.quarkus.logging.Log;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The configured queues, highest weight first, with the routes and per-type limits and rates.
 * Checked at start: a worker with a queue it cannot name, a route to no queue or a limit below 1
 * does not run.
 */
@Singleton
public class Queues {
  /** A queue: its name, its list and its weight. */
  public record Named(String name, String key, int weight) {}

  /** An index as SmallRye Config spells a number between an env var's underscores. */
  private static final Pattern ENV_SPELLING = Pattern.compile("\\[(\\d+)]");

  private final List<Named> ordered;
  private final Map<String, String> routes;
  private final Map<String, Integer> limits;
  private final Map<String, Integer> rates;

  @Inject
  Queues(WorkerConfig config) {
    this(
        config.queues().entrySet().stream()
            .map(e -> new Named(e.getKey(), TaskQueues.key(e.getKey()), e.getValue().weight()))
            .toList(),
        byType(config.routes()),
        byType(config.limits()),
        byType(config.rates()));
    if (!limits.isEmpty() || !rates.isEmpty()) {
      Log.infof(
          "Job types limited to so many in flight: %s; paced to so many a second: %s",
          new TreeMap<>(limits), new TreeMap<>(rates));
    }
  }

  /**
   * The map keyed by job type. SmallRye Config cannot tell an env var's underscores from dots:
   * WORKER_LIMITS_PROCESS_PAYMENT also arrives as a key process.payment, and a number between
   * underscores as an index (WORKER_LIMITS_EXPORT_2_DAILY as export[2].daily). A job type has
   * neither, so such a key is read back with underscores; where the type has its own key too, that
   * one already holds the value that wins (the env var over application.properties), and the twin
   * is dropped.
   */
  static <V> Map<String, V> byType(Map<String, V> configured) {
    Map<String, V> byType = new HashMap<>(configured);
    configured.forEach(
        (key, value) -> {
          String type = ENV_SPELLING.matcher(key).replaceAll("_$1").replace('.', '_');
          if (!type.equals(key)) {
            byType.remove(key);
            byType.putIfAbsent(type, value);
          }
        });
    return byType;
  }

  /** The queues (any order), routes, limits and rates as given. */
  public Queues(
      List<Named> queues,
      Map<String, String> routes,
      Map<String, Integer> limits,
      Map<String, Integer> rates) {
    List<Named> sorted = new ArrayList<>(queues);
    sorted.sort(Comparator.comparingInt(Named::weight).reversed().thenComparing(Named::name));
    this.ordered = List.copyOf(sorted);
    this.routes = Map.copyOf(routes);
    this.limits = Map.copyOf(limits);
    this.rates = Map.copyOf(rates);
    check();
  }

  private void check() {
    for (Named queue : ordered) {
      if (!TaskQueues.NAME.matcher(queue.name()).matches() || queue.weight() < 1) {
        throw new IllegalStateException(
            "worker.queues."
                + queue.name()
                + ": a queue needs a name like bulk ([a-z][a-z0-9_-]{0,31}) and a weight of at least 1");
      }
    }
    if (!exists(TaskQueues.DEFAULT)) {
      throw new IllegalStateException("worker.queues must include default (the list tasks)");
    }
    for (Map<String, ?> byType : List.of(routes, limits, rates)) {
      byType.keySet().stream()
          .filter(type -> !JobReader.TYPE.matcher(type).matches())
          .findFirst()
          .ifPresent(
              type -> {
                throw new IllegalStateException(
                    "No job type "
                        + type
                        + " in worker.routes/limits/rates: a type is [a-z][a-z0-9_]{0,63}");
              });
    }
    routes.forEach(
        (type, queue) -> {
          if (!exists(queue)) {
            throw new IllegalStateException(
                "worker.routes." + type + " names queue " + queue + ", which worker.queues lacks");
          }
        });
    limits.forEach(
        (type, limit) -> {
          if (limit < 1) {
            throw new IllegalStateException("worker.limits." + type + " must be at least 1");
          }
        });
    rates.forEach(
        (type, rate) -> {
          if (rate < 1) {
            throw new IllegalStateException("worker.rates." + type + " must be at least 1");
          }
        });
  }

  /** Highest weight first (ties by name): the order a fetch looks at them. */
  public List<Named> all() {
    return ordered;
  }

  public boolean exists(String name) {
    return ordered.stream().anyMatch(q -> q.name().equals(name));
  }

  /** The queue a job of {@code type} goes on when its producer names none. */
  public String routeOf(String type) {
    return routes.getOrDefault(type, TaskQueues.DEFAULT);
  }

  /** The list a job naming {@code queue} belongs on: its own, or default's if no such queue. */
  public String keyOf(String queue) {
    return TaskQueues.key(queue != null && exists(queue) ? queue : TaskQueues.DEFAULT);
  }

  /** The most jobs of {@code type} in flight across all replicas; 0 for no limit. */
  public int limit(String type) {
    return limits.getOrDefault(type, 0);
  }

  public Map<String, Integer> limits() {
    return limits;
  }

  /** The most jobs of {@code type} started per second across all replicas; 0 for no pace. */
  public int rate(String type) {
    return rates.getOrDefault(type, 0);
  }

  public Map<String, Integer> rates() {
    return rates;
  }

  /** The queues' lists, in {@link #all()} order: the KEYS that put a job back on its queue. */
  public List<String> keys() {
    return ordered.stream().map(Named::key).toList();
  }

  /** The queues' names in {@link #all()} order, the ARGV beside {@link #keys()}. */
  public List<String> names() {
    return ordered.stream().map(Named::name).toList();
  }
}
