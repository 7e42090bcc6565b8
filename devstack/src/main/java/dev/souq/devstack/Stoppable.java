package dev.souq.devstack;

/** Something {@code ./run} started and stops at shutdown, the most recent first. */
interface Stoppable {
  void stop() throws Exception;
}
