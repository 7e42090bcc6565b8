package dev.souq.worker.handlers;

import dev.souq.shared.messages.Task;
import dev.souq.worker.handler.Handles;
import dev.souq.worker.handler.TaskHandler;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** Does nothing: measures the queue itself (bench/worker.sh) and checks a deployment drains. */
@ApplicationScoped
@Handles("noop")
public class NoopHandler implements TaskHandler {
  private static final Uni<Void> DONE = Uni.createFrom().voidItem();

  @Override
  public Uni<Void> handle(Task task) {
    return DONE;
  }
}
