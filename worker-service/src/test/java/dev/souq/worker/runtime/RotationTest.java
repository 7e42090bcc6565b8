package dev.souq.worker.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RotationTest {
  @Test
  void tenSlotsGoSixThreeOneByWeight() {
    assertArrayEquals(new int[] {6, 3, 1}, new Rotation(new int[] {6, 3, 1}).shares(10));
  }

  @Test
  void oneSlotAtATimeStillRotatesAndTheLightestQueueNeverWaitsMoreThanARound() {
    Rotation rotation = new Rotation(new int[] {6, 3, 1});
    int[] total = new int[3];
    int sinceBulk = 0;
    for (int slot = 0; slot < 1000; slot++) {
      int[] one = rotation.shares(1);
      for (int i = 0; i < 3; i++) {
        total[i] += one[i];
      }
      sinceBulk = one[2] == 1 ? 0 : sinceBulk + 1;
      assertTrue(sinceBulk < 10, "bulk waited " + sinceBulk + " slots");
    }
    assertArrayEquals(new int[] {600, 300, 100}, total);
  }

  @Test
  void theHeaviestQueueWaitsAtMostOneSlot() {
    Rotation rotation = new Rotation(new int[] {6, 3, 1});
    int sinceCritical = 0;
    for (int slot = 0; slot < 1000; slot++) {
      sinceCritical = rotation.shares(1)[0] == 1 ? 0 : sinceCritical + 1;
      assertTrue(sinceCritical <= 1, "critical waited " + sinceCritical + " slots");
    }
  }
}
