package dev.souq.worker.handlers;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.souq.shared.messages.Task;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** What a payment's charge is called at order-service, which takes printable ASCII up to 200. */
class ChargeNameTest {
  private static final String ORDER_SERVICE_TAKES = "[!-~]{1,200}";

  @Test
  void twoRunsOfOneAttemptChargeUnderNamesOfTheirOwn() {
    Task task = task("3f1c7a52-5d0e-4c1e-9d38-0b2f5a4e1c77");
    String first = ProcessPaymentHandler.chargeName(task);
    String second = ProcessPaymentHandler.chargeName(task);
    assertTrue(first.startsWith(task.id() + "#0."), first);
    assertNotEquals(first, second, "a job handed back charges under the first run's name");
  }

  @Test
  void anIdOrderServiceWouldNotTakeIsNamedByAUuidOfIt() {
    for (String id : new String[] {"a job with spaces", "ordre-été", "x".repeat(129)}) {
      String name = ProcessPaymentHandler.chargeName(task(id));
      assertTrue(name.startsWith("id-"), name);
      assertTrue(name.matches(ORDER_SERVICE_TAKES), name);
    }
  }

  private static Task task(String id) {
    return Task.of(id, "process_payment", null, Instant.now(), "key-" + id.hashCode());
  }
}
