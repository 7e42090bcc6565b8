package dev.souq.worker.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class TaskKeysTest {

  @Test
  void byDefaultTheKeysAreCalledAsTheContractCallsThem() {
    TaskKeys keys = new TaskKeys(false);
    assertEquals("tasks:delayed", keys.delayed());
    assertEquals("tasks:dead", keys.dead());
    assertEquals("tasks:processing:w1", keys.processing("w1"));
    assertEquals("tasks:deliveries", keys.deliveries());
    assertEquals("tasks:schedules", keys.schedules());
    assertEquals("tasks:schedule:purge_dead_letters", keys.schedule("purge_dead_letters"));
    // …which is why the worker's scripts cannot run on Redis Cluster in this mode.
    assertNotEquals(slot(TaskKeys.QUEUE), slot(keys.delayed()));
  }

  @Test
  void withClusterKeysEveryKeyAScriptTouchesSharesTheQueuesSlot() {
    TaskKeys keys = new TaskKeys(true);
    int queue = slot(TaskKeys.QUEUE);
    for (String key :
        List.of(
            keys.delayed(),
            keys.dead(),
            keys.stats(),
            keys.workers(),
            keys.processing("worker-7f3a"),
            keys.heartbeat("worker-7f3a"),
            keys.deliveries(),
            keys.idempotency("order-42-process_payment"),
            keys.schedules(),
            keys.schedule("cancel_unpaid_orders"))) {
      assertEquals(queue, slot(key), key);
    }
  }

  /** Redis Cluster's key slot: CRC16 (XMODEM) of the hash tag if there is one, mod 16384. */
  static int slot(String key) {
    int open = key.indexOf('{');
    if (open >= 0) {
      int close = key.indexOf('}', open + 1);
      if (close > open + 1) {
        key = key.substring(open + 1, close);
      }
    }
    int crc = 0;
    for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
      crc ^= (b & 0xff) << 8;
      for (int i = 0; i < 8; i++) {
        crc = (crc & 0x8000) != 0 ? (crc << 1) ^ 0x1021 : crc << 1;
      }
      crc &= 0xffff;
    }
    return crc % 16384;
  }
}
