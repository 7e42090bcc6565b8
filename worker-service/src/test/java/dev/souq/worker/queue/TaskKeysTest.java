package dev.souq.worker.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.souq.shared.redis.HashSlot;
import dev.souq.shared.redis.RedisTopology;
import java.util.List;
import java.util.Optional;
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

  @Test
  void onAClusterTheHashTaggedNamesAreTheDefaultAndTheContractsAreRefused() {
    RedisTopology cluster = RedisTopology.of(true);
    RedisTopology single = RedisTopology.of(false);
    assertTrue(TaskKeys.clusterKeys(Optional.empty(), cluster));
    assertFalse(TaskKeys.clusterKeys(Optional.empty(), single));
    assertTrue(TaskKeys.clusterKeys(Optional.of(true), single), "allowed anywhere");
    IllegalStateException refused =
        assertThrows(
            IllegalStateException.class, () -> TaskKeys.clusterKeys(Optional.of(false), cluster));
    assertTrue(refused.getMessage().contains("WORKER_CLUSTER_KEYS"), refused.getMessage());
  }

  private static int slot(String key) {
    return HashSlot.of(key);
  }
}
