package dev.souq.worker.handlers;

import dev.souq.shared.messages.Task;
import dev.souq.worker.handler.Handles;
import dev.souq.worker.handler.TaskHandler;
import io.quarkus.arc.lookup.LookupIfProperty;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * {@code test_halt}: halts the JVM at once, as a poison job that crashes its worker would (no
 * shutdown hooks, no outcome recorded). It exists so the packaged-jar crash tests can prove such a
 * job is dead-lettered with {@code crashed_worker} after {@code worker.max-deliveries}: a handler
 * compiled only into the tests could not be in the jar they run. It is registered only when {@code
 * worker.test-handlers=true} (WORKER_TEST_HANDLERS), which only those tests set; otherwise the type
 * is unknown and a {@code test_halt} job is an {@code unknown_type} dead letter.
 */
@ApplicationScoped
@Handles("test_halt")
@LookupIfProperty(name = "worker.test-handlers", stringValue = "true")
public class HaltHandler implements TaskHandler {
  /** The exit status, as a process killed by SIGKILL reports it. */
  private static final int STATUS = 137;

  @Override
  public Uni<Void> handle(Task task) {
    Log.warnf("Job %s is test_halt: halting the JVM", task.id());
    Runtime.getRuntime().halt(STATUS);
    return Uni.createFrom().voidItem();
  }
}
