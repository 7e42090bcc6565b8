package dev.souq.worker.handlers;

import io.smallrye.mutiny.Uni;
import java.time.Instant;

/**
 * Removes old dead letters: what {@link PurgeDeadLettersHandler} needs of the queue, implemented
 * there (the queue sits above the handlers, so they reach it through this).
 */
public interface DeadLetterPurge {
  /** Removes the dead letters that died before {@code cutoff}; how many it removed. */
  Uni<Long> purgeBefore(Instant cutoff);
}
