package dev.souq.worker.queue;

import dev.souq.shared.messages.JobFate;
import dev.souq.shared.messages.Task;
import dev.souq.worker.client.Orders;
import dev.souq.worker.config.WorkerConfig;
import dev.souq.worker.handlers.OrderIds;
import io.quarkus.logging.Log;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.Set;

/**
 * Tells order-service when a job a shopper waits on (a payment) failed and runs again, or was given
 * up, so the order's timeline says why it is still PENDING. A view, like {@link ScheduleOutcomes}:
 * sent once the job's own outcome is settled, never holding it up; a report order-service cannot
 * take is logged and dropped (the job's fate stays in the queue's stats and dead letters). The
 * failure's own text is not sent: it may name hosts or internals, and the shopper reads the step.
 */
@Singleton
class JobReports {
  private final Orders orders;
  private final Set<String> types;

  JobReports(Orders orders, WorkerConfig config) {
    this.orders = orders;
    this.types = config.shop().reportedTypes();
  }

  /** The job failed its {@code attempt}-th run and runs again at {@code due}. */
  void retrying(Task task, int attempt, Instant due) {
    send(task, JobFate.RETRYING, attempt, due);
  }

  /** The job was given up after {@code attempts} runs. */
  void failed(Task task, int attempts) {
    send(task, JobFate.FAILED, Math.max(1, attempts), null);
  }

  private void send(Task task, String outcome, int attempt, Instant due) {
    long order = orderOf(task);
    if (order <= 0) {
      return;
    }
    orders
        .reportJob(order, new JobFate(task.type(), outcome, attempt, due, null))
        .subscribe()
        .with(
            done -> {},
            failure ->
                Log.warnf(
                    "Could not report job %s (%s) %s to order %d: %s",
                    task.id(), task.type(), outcome, order, failure.toString()));
  }

  /** The order of a reported job type; 0 for any other job. */
  private long orderOf(Task task) {
    return task != null && types.contains(task.type()) ? OrderIds.find(task) : 0;
  }
}
