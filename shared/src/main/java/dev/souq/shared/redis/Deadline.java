package dev.souq.shared.redis;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.Cancellable;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Bounds a call on the hot path. On a Vert.x context the deadline is an event-loop timer and a
 * failure is delivered back on that context (where Hibernate Reactive may run next); Mutiny's
 * {@code ifNoItem().after()} would hop through a shared scheduler thread on every call, which cost
 * a third of catalog-service's cache-hit throughput.
 */
public final class Deadline {
  private Deadline() {}

  /**
   * {@code call}, failing with a {@link TimeoutException} if it has no result in time. On a Vert.x
   * context the call itself goes on (a job's handler must not be cut short).
   */
  public static <T> Uni<T> within(Uni<T> call, Duration timeout) {
    return within(call, timeout, false);
  }

  /**
   * As {@link #within}, and once late the call is cancelled: for a read no one needs after its
   * deadline, so that work still queued for it (a lookup waiting for its pipeline) is skipped.
   */
  public static <T> Uni<T> withinCancelling(Uni<T> call, Duration timeout) {
    return within(call, timeout, true);
  }

  private static <T> Uni<T> within(Uni<T> call, Duration timeout, boolean cancel) {
    Context context = Vertx.currentContext();
    if (context == null) {
      return call.ifNoItem().after(timeout).failWith(() -> late(timeout));
    }
    long millis = Math.max(1, timeout.toMillis());
    return Uni.createFrom()
        .emitter(
            emitter -> {
              AtomicBoolean settled = new AtomicBoolean();
              AtomicReference<Cancellable> upstream = new AtomicReference<>();
              long timer =
                  context
                      .owner()
                      .setTimer(
                          millis,
                          id -> {
                            if (settled.compareAndSet(false, true)) {
                              Cancellable subscription = upstream.get();
                              if (cancel && subscription != null) {
                                subscription.cancel(); // before the caller hears of it
                              }
                              emitter.fail(late(timeout));
                            }
                          });
              upstream.set(
                  call.subscribe()
                      .with(
                          item -> {
                            if (settled.compareAndSet(false, true)) {
                              context.owner().cancelTimer(timer);
                              emitter.complete(item);
                            }
                          },
                          failure -> {
                            if (settled.compareAndSet(false, true)) {
                              context.owner().cancelTimer(timer);
                              context.runOnContext(v -> emitter.fail(failure));
                            }
                          }));
            });
  }

  private static TimeoutException late(Duration timeout) {
    return new TimeoutException("No answer within " + timeout.toMillis() + " ms");
  }
}
