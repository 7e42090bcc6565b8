package dev.souq.notification.live;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Connections open per client address, for the per-client cap; an address with none is dropped. */
final class ClientSlots {
  private final Map<String, Integer> open = new ConcurrentHashMap<>();

  /** Takes one of the client's {@code max} slots; false if it holds them all. */
  boolean take(String client, int max) {
    boolean[] taken = {false};
    open.compute(
        client,
        (c, held) -> {
          int now = held == null ? 0 : held;
          taken[0] = now < max;
          return taken[0] ? now + 1 : held;
        });
    return taken[0];
  }

  /** Gives back one of the client's slots. */
  void release(String client) {
    open.computeIfPresent(client, (c, held) -> held <= 1 ? null : held - 1);
  }
}
