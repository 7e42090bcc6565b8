package dev.souq.notification.live;

import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

/**
 * The sessions announced ended in the last few seconds: a connection whose session was read just
 * before it ended may join after the announcement went by, and is ended as it joins.
 */
final class EndedSessions {
  /** How long an announced end is remembered. */
  private static final long REMEMBER_NANOS = TimeUnit.SECONDS.toNanos(10);

  private final Map<String, Long> recent = new ConcurrentHashMap<>();
  private final Queue<String> inOrder = new ConcurrentLinkedQueue<>();

  /** Whether the session was announced ended lately. */
  boolean contains(String sessionId) {
    return recent.containsKey(sessionId);
  }

  /** Marks the session ended for a while, forgetting the marks that are old (oldest first). */
  synchronized void remember(String sessionId) {
    long now = System.nanoTime();
    for (String oldest = inOrder.peek(); oldest != null; oldest = inOrder.peek()) {
      Long at = recent.get(oldest);
      if (at != null && now - at < REMEMBER_NANOS) {
        break;
      }
      inOrder.poll();
      if (at != null) {
        recent.remove(oldest, at);
      }
    }
    recent.put(sessionId, now);
    inOrder.add(sessionId);
  }
}
