package dev.souq.worker.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Per-type settings read back from the keys SmallRye Config makes of env var names. */
class QueuesTest {
  @Test
  void aDottedKeyIsTheTypeWithUnderscoresAndItsOwnKeyWins() {
    // WORKER_LIMITS_PROCESS_PAYMENT=99 beside -Dworker.limits.process_payment=16: Config resolves
    // the type's own key by source (the system property, 16) and adds the env var's twin.
    assertEquals(
        Map.of("process_payment", 16, "release_stock", 2),
        Queues.byType(Map.of("process_payment", 16, "process.payment", 99, "release.stock", 2)));
  }

  @Test
  void aNumberBetweenUnderscoresComesBackFromItsIndexSpelling() {
    // WORKER_RATES_EXPORT_2_DAILY=5 arrives as export[2].daily.
    assertEquals(
        Map.of("export_2_daily", 5, "echo", 1),
        Queues.byType(Map.of("export[2].daily", 5, "echo", 1)));
  }
}
