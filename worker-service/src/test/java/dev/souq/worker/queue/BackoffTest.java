package dev.souq.worker.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {
  private final Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(10), 0.25);

  @Test
  void doublesFromTheInitialDelayUpToTheCap() {
    assertEquals(1000, backoff.ceiling(1));
    assertEquals(2000, backoff.ceiling(2));
    assertEquals(4000, backoff.ceiling(3));
    assertEquals(512_000, backoff.ceiling(10));
    assertEquals(600_000, backoff.ceiling(11));
    assertEquals(600_000, backoff.ceiling(Integer.MAX_VALUE));
  }

  @Test
  void jitterTakesOffAtMostItsShare() {
    for (int i = 0; i < 1000; i++) {
      long delay = backoff.delay(3).toMillis();
      assertTrue(delay >= 3000 && delay <= 4000, "delay " + delay);
    }
  }
}
