package dev.souq.worker.handler;

import dev.souq.shared.messages.Task;

/**
 * Runs one task type with blocking code (JDBC, a blocking SDK): called on a worker thread, never
 * the event loop. An exception is retried with backoff, unless it is a {@link PermanentFailure}. A
 * run past its time limit counts as failed, but its thread cannot be stopped: keep the code itself
 * bounded (client timeouts).
 */
public interface BlockingTaskHandler {
  void handle(Task task) throws Exception;
}
