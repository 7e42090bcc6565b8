package dev.souq.worker.handler;

import dev.souq.shared.messages.Task;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;

/** Handlers that exist only in tests, recording their runs in {@link Runs} under payload.name. */
final class TestHandlers {
  private TestHandlers() {}

  static String name(Task task) {
    return task.payload().path("name").asText(task.id());
  }

  /**
   * Fails while {@code attempt < payload.fail_times}, or while payload.fail_until_released and the
   * test has not released its name ({@link Runs#release}); fails permanently if payload.permanent.
   */
  @ApplicationScoped
  @Handles("test_flaky")
  static class Flaky implements TaskHandler {
    private final Runs runs;

    Flaky(Runs runs) {
      this.runs = runs;
    }

    @Override
    public Uni<Void> handle(Task task) {
      runs.record(name(task), task);
      if (task.payload().path("permanent").asBoolean()) {
        throw new PermanentFailure("card declined for good");
      }
      boolean held =
          task.payload().path("fail_until_released").asBoolean() && !runs.released(name(task));
      if (held || task.attempt() < task.payload().path("fail_times").asInt()) {
        return Uni.createFrom()
            .failure(new IllegalStateException("flaky failure " + task.attempt()));
      }
      return Uni.createFrom().voidItem();
    }
  }

  /** Snoozes for a second on its first {@code payload.snoozes} runs, then succeeds. */
  @ApplicationScoped
  @Handles("test_snooze")
  static class Snoozer implements TaskHandler {
    private final Runs runs;

    Snoozer(Runs runs) {
      this.runs = runs;
    }

    @Override
    public Uni<Void> handle(Task task) {
      runs.record(name(task), task);
      if (runs.of(name(task)).size() <= task.payload().path("snoozes").asInt()) {
        throw new Snooze(Duration.ofSeconds(1), "the upstream answered 429");
      }
      return Uni.createFrom().voidItem();
    }
  }

  /** Records its run and succeeds at once. */
  abstract static class Recorder implements TaskHandler {
    // A field, not a constructor: the subclasses are normal-scoped beans that need a no-args one.
    @Inject Runs runs;

    @Override
    public Uni<Void> handle(Task task) {
      runs.record(name(task), task);
      return Uni.createFrom().voidItem();
    }
  }

  /** Paced to 5 a second in tests (%test.worker.rates.test_paced). */
  @ApplicationScoped
  @Handles("test_paced")
  static class Paced extends Recorder {}

  /** One at a time across replicas in tests (%test.worker.limits.test_limited). */
  @ApplicationScoped
  @Handles("test_limited")
  static class Limited extends Recorder {}

  /** Never answers: its one-second time limit ends every run. */
  @ApplicationScoped
  @Handles(value = "test_hang", timeoutSeconds = 1)
  static class Hang implements TaskHandler {
    private final Runs runs;

    Hang(Runs runs) {
      this.runs = runs;
    }

    @Override
    public Uni<Void> handle(Task task) {
      runs.record(name(task), task);
      return Uni.createFrom().nothing();
    }
  }

  /** Runs until its name is released ({@link Runs#release}), then succeeds. */
  @ApplicationScoped
  @Handles("test_gated")
  static class Gated implements TaskHandler {
    private final Runs runs;

    Gated(Runs runs) {
      this.runs = runs;
    }

    @Override
    public Uni<Void> handle(Task task) {
      return until(runs, task);
    }

    /** Records the run, then ends when its name is released. */
    static Uni<Void> until(Runs runs, Task task) {
      runs.record(name(task), task);
      return Uni.createFrom().completionStage(runs.gate(name(task)));
    }
  }

  /** As test_gated, with a limit of 2 s that it outlives until released. */
  @ApplicationScoped
  @Handles(value = "test_late", timeoutSeconds = 2)
  static class Late implements TaskHandler {
    private final Runs runs;

    Late(Runs runs) {
      this.runs = runs;
    }

    @Override
    public Uni<Void> handle(Task task) {
      return Gated.until(runs, task);
    }
  }

  /** Blocking code: records the thread it ran on. */
  @ApplicationScoped
  @Handles("test_blocking")
  static class Blocking implements BlockingTaskHandler {
    private final Runs runs;

    Blocking(Runs runs) {
      this.runs = runs;
    }

    @Override
    public void handle(Task task) {
      runs.record(name(task), task);
    }
  }
}
