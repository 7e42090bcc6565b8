package dev.souq.shared.redis;

import dev.souq.shared.messages.TaskQueues;
import io.quarkus.logging.Log;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import java.util.List;

/**
 * Wakes an idle worker after jobs were queued: a token on {@link TaskQueues#WAKE}, the list trimmed
 * to {@link TaskQueues#WAKE_KEPT}. Best effort and not waited for: the jobs are queued already, and
 * without the token a worker finds them at its next idle poll.
 */
public final class WorkerWakeup {
  private WorkerWakeup() {}

  /** Sends the token; a failure is logged at DEBUG only, since the idle poll covers it. */
  public static void send(Redis redis) {
    redis
        .batch(
            List.of(
                Request.cmd(Command.LPUSH).arg(TaskQueues.WAKE).arg("1"),
                Request.cmd(Command.LTRIM)
                    .arg(TaskQueues.WAKE)
                    .arg(0)
                    .arg(TaskQueues.WAKE_KEPT - 1)))
        .subscribe()
        .with(
            replies -> {},
            failure -> Log.debugf("No wake-up for idle workers: %s", failure.toString()));
  }
}
