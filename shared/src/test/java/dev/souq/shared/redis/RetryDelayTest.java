package dev.souq.shared.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RetryDelayTest {
  private static final RuntimeException DOWN = new RuntimeException("down");

  @Test
  void waitsDoubleFrom100MsUpToTheCap() {
    RetryDelay delay = new RetryDelay("Test", Duration.ofSeconds(5));
    List<Long> waits = new ArrayList<>();
    for (int i = 0; i < 9; i++) {
      waits.add(delay.failed(DOWN));
    }
    assertEquals(List.of(100L, 200L, 400L, 800L, 1600L, 3200L, 5000L, 5000L, 5000L), waits);
    assertEquals(9, delay.failures());
  }

  @Test
  void aSuccessStartsTheNextRunAt100Ms() {
    RetryDelay delay = new RetryDelay("Test", Duration.ofSeconds(5));
    delay.failed(DOWN);
    delay.failed(DOWN);
    delay.succeeded();
    assertEquals(0, delay.failures());
    assertEquals(100L, delay.failed(DOWN));
  }

  @Test
  void aCapBelowTheFirstWaitIsTheFirstWait() {
    assertEquals(100L, new RetryDelay("Test", Duration.ZERO).failed(DOWN));
  }

  @Test
  void countsFailuresFromManyThreadsWithoutLosingOne() throws InterruptedException {
    RetryDelay delay = new RetryDelay("Test", Duration.ofSeconds(5));
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      Thread thread =
          new Thread(
              () -> {
                for (int i = 0; i < 1000; i++) {
                  delay.failed(DOWN);
                }
              });
      thread.start();
      threads.add(thread);
    }
    for (Thread thread : threads) {
      thread.join();
    }
    assertEquals(8000, delay.failures());
  }
}
