package dev.souq.order.service;

import io.smallrye.mutiny.Uni;

/**
 * Work that must not stop halfway once started: a write whose first step already committed. Mutiny
 * passes a subscriber's cancellation upstream, and Quarkus REST cancels when the client's
 * connection closes. Here the cancelling subscriber only stops listening; the work runs to its end,
 * and its outcome goes nowhere. (A {@code Pool.withConnection} needs none of this: Vert.x runs its
 * work as a Future, which no cancel reaches.)
 */
final class Uncancellable {
  private Uncancellable() {}

  /** {@code work}, run to its end whether or not its subscriber cancels. */
  static <T> Uni<T> of(Uni<T> work) {
    return Uni.createFrom()
        .emitter(emitter -> work.subscribe().with(emitter::complete, emitter::fail));
  }
}
