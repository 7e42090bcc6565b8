package dev.souq.worker.handlers;

import dev.souq.shared.messages.Task;
import dev.souq.worker.handler.Handles;
import dev.souq.worker.handler.TaskHandler;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** The seed's bare JSON jobs (no envelope): logged, as the seed's worker did. */
@ApplicationScoped
@Handles("default")
public class DefaultHandler implements TaskHandler {
  private static final int MAX_LOGGED = 500;

  @Override
  public Uni<Void> handle(Task task) {
    String payload = String.valueOf(task.payload());
    Log.infof(
        "Job %s: %s",
        task.id(),
        payload.length() > MAX_LOGGED ? payload.substring(0, MAX_LOGGED) + "…" : payload);
    return Uni.createFrom().voidItem();
  }
}
