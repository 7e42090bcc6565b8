package dev.souq.order.service;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Work that must not stop halfway once started: a write whose first step already committed. Mutiny
 * passes a subscriber's cancellation upstream, and Quarkus REST cancels when the client's
 * connection closes. Here the cancelling subscriber only stops listening; the work runs to its end.
 * (A {@code Pool.withConnection} needs none of this: Vert.x runs its work as a Future, which no
 * cancel reaches.)
 */
public final class Uncancellable {
  private Uncancellable() {}

  /** {@code work}, run to its end whether or not its subscriber cancels. */
  public static <T> Uni<T> of(Uni<T> work) {
    return Uni.createFrom()
        .emitter(
            emitter -> {
              AtomicBoolean left = new AtomicBoolean();
              emitter.onTermination(() -> left.set(true));
              work.subscribe()
                  .with(
                      emitter::complete,
                      failure -> {
                        if (left.get()) {
                          // Its caller left before it failed: this log is all that is left of it.
                          Log.warnf("Work whose caller left failed: %s", failure.toString());
                        }
                        emitter.fail(failure);
                      });
            });
  }
}
