package dev.souq.shared.messages;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class TaskTest {
  private static final Task TASK = Task.of("id", "t", null, Instant.EPOCH, null);

  @Test
  void aDueTimeBetweenMillisecondsIsRoundedUpSoItsScoreIsNeverEarlier() {
    Instant due = Instant.parse("2026-12-05T07:30:00.000400Z");
    Instant next = Instant.parse("2026-12-05T07:30:00.001Z");
    assertEquals(next, Task.dueMillis(due));
    assertEquals(next, TASK.dueAt(due).runAt());
    assertEquals(next, TASK.failed("e", Instant.EPOCH, due).runAt());
    assertEquals(next, TASK.snoozed(due).runAt());
  }

  @Test
  void aWholeMillisecondStaysAsItIs() {
    Instant due = Instant.parse("2026-12-05T07:30:00.001Z");
    assertEquals(due, Task.dueMillis(due));
  }
}
