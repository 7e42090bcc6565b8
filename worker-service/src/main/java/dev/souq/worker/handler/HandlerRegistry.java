package dev.souq.worker.handler;

import dev.souq.shared.messages.Task;
import dev.souq.worker.config.WorkerConfig;
import io.quarkus.arc.InjectableInstance;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.inject.Any;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Every handler bean by its {@link Handles} type, read once at start-up. */
@Singleton
public class HandlerRegistry {

  /** A handler ready to call, with its time limit. */
  public record Handler(String type, Duration timeout, Invoker invoker) {
    public Uni<Void> run(Task task) {
      return invoker.run(task);
    }
  }

  /** Calls the handler bean. */
  @FunctionalInterface
  public interface Invoker {
    Uni<Void> run(Task task);
  }

  private final Map<String, Handler> handlers = new TreeMap<>();

  HandlerRegistry(
      @Any InjectableInstance<TaskHandler> reactive,
      @Any InjectableInstance<BlockingTaskHandler> blocking,
      WorkerConfig config) {
    for (var handle : reactive.handles()) {
      TaskHandler bean = handle.get();
      register(handle.getBean().getBeanClass(), bean::handle, config);
    }
    for (var handle : blocking.handles()) {
      BlockingTaskHandler bean = handle.get();
      // Blocking handlers run on a worker thread, never on the event loop.
      register(
          handle.getBean().getBeanClass(),
          task ->
              Uni.createFrom()
                  .<Void>item(
                      () -> {
                        try {
                          bean.handle(task);
                          return null;
                        } catch (RuntimeException e) {
                          throw e;
                        } catch (Exception e) {
                          throw new IllegalStateException(e.getMessage(), e);
                        }
                      })
                  .runSubscriptionOn(Infrastructure.getDefaultWorkerPool()),
          config);
    }
  }

  private void register(Class<?> type, Invoker invoker, WorkerConfig config) {
    Handles handles = type.getAnnotation(Handles.class);
    if (handles == null) {
      throw new IllegalStateException(type.getName() + " is a task handler without @Handles");
    }
    Duration timeout =
        handles.timeoutSeconds() > 0
            ? Duration.ofSeconds(handles.timeoutSeconds())
            : config.handlerTimeout();
    Handler previous =
        handlers.putIfAbsent(handles.value(), new Handler(handles.value(), timeout, invoker));
    if (previous != null) {
      throw new IllegalStateException("Two handlers for task type " + handles.value());
    }
  }

  /** The handler of {@code type}, or null. */
  public Handler find(String type) {
    return type == null ? null : handlers.get(type);
  }

  /** The task types this instance runs. */
  public Set<String> types() {
    return handlers.keySet();
  }
}
