package dev.souq.worker.handler;

import dev.souq.shared.messages.Task;
import io.smallrye.mutiny.Uni;

/**
 * Runs one task type without blocking: called on the event loop, it returns at once and completes
 * the Uni when done. A failure is retried with backoff, unless it is a {@link PermanentFailure}.
 */
public interface TaskHandler {
  Uni<Void> handle(Task task);
}
