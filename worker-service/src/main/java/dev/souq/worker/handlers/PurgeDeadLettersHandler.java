package dev.souq.worker.handlers;

import dev.souq.shared.messages.Task;
import dev.souq.worker.config.WorkerConfig;
import dev.souq.worker.handler.Handles;
import dev.souq.worker.handler.TaskHandler;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;

/**
 * Removes the dead letters older than {@code worker.dead-letter-retention}, so the list holds what
 * an operator may still act on; counted as {@code purged} in tasks:stats.
 */
@ApplicationScoped
@Handles(value = "purge_dead_letters", timeoutSeconds = 120)
public class PurgeDeadLettersHandler implements TaskHandler {
  private final DeadLetterPurge purge;
  private final WorkerConfig config;

  PurgeDeadLettersHandler(DeadLetterPurge purge, WorkerConfig config) {
    this.purge = purge;
    this.config = config;
  }

  @Override
  public Uni<Void> handle(Task task) {
    Instant cutoff = Instant.now().minus(config.deadLetterRetention());
    return purge
        .purgeBefore(cutoff)
        .invoke(
            removed -> {
              if (removed > 0) {
                Log.infof("Purged %d dead letters that died before %s", removed, cutoff);
              }
            })
        .replaceWithVoid();
  }
}
