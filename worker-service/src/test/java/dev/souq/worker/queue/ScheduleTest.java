package dev.souq.worker.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.souq.shared.messages.Task;
import dev.souq.worker.config.WorkerConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A schedule as configured: what is refused at start-up, and the keys and payload of its jobs. */
class ScheduleTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One schedule's settings. */
  private record Setting(Duration every, Optional<String> type, Optional<String> payload)
      implements WorkerConfig.Schedule {
    @Override
    public boolean enabled() {
      return true;
    }
  }

  private static Setting every(Duration every) {
    return new Setting(every, Optional.empty(), Optional.empty());
  }

  @Test
  void theTypeDefaultsToTheNameAndTheJobsNameTheirSchedule() {
    Schedule schedule =
        Schedule.of(
            "purge_dead_letters",
            new Setting(Duration.ofHours(1), Optional.empty(), Optional.of("{\"keep\":3}")),
            JSON);
    assertEquals("purge_dead_letters", schedule.type());
    assertEquals(
        JSON.createObjectNode().put("keep", 3).put("schedule", "purge_dead_letters"),
        schedule.jobPayload());
    assertEquals(
        JSON.createObjectNode().put("keep", 3), schedule.payload(), "the configured one changed");
    assertEquals("schedule-purge_dead_letters-1785499200000", schedule.tickKey(1785499200000L));
    assertEquals("schedule-purge_dead_letters-run-j1", schedule.runKey("j1"));
    Task job =
        Task.of("j1", schedule.type(), schedule.jobPayload(), Instant.now(), schedule.runKey("j1"));
    assertEquals("purge_dead_letters", Schedule.nameOf(job));
  }

  @Test
  void badSettingsAreRefusedNamingTheSetting() {
    Map<String, Setting> bad =
        Map.of(
            "Upper",
            every(Duration.ofMinutes(1)),
            "with-dash",
            every(Duration.ofMinutes(1)),
            "too_often",
            every(Duration.ofMillis(999)),
            "bad_type",
            new Setting(Duration.ofMinutes(1), Optional.of("No Type"), Optional.empty()),
            "array",
            new Setting(Duration.ofMinutes(1), Optional.empty(), Optional.of("[1]")),
            "not_json",
            new Setting(Duration.ofMinutes(1), Optional.empty(), Optional.of("{x")));
    bad.forEach(
        (name, setting) -> {
          IllegalArgumentException e =
              assertThrows(
                  IllegalArgumentException.class, () -> Schedule.of(name, setting, JSON), name);
          assertTrue(
              e.getMessage().startsWith("worker.schedules.\"" + name + "\""), e.getMessage());
        });
    assertEquals("ok", Schedule.of("ok", every(Duration.ofSeconds(1)), JSON).name());
  }

  @Test
  void aJobNamesAScheduleOnlyWithAValidName() {
    for (Object name : new Object[] {7, "Bad Name", "tasks:dead"}) {
      Task job =
          Task.of(
              "j",
              "noop",
              JSON.createObjectNode().set("schedule", JSON.valueToTree(name)),
              Instant.now(),
              null);
      assertEquals(null, Schedule.nameOf(job), String.valueOf(name));
    }
    assertEquals(null, Schedule.nameOf(Task.of("j", "noop", null, Instant.now(), null)));
    assertEquals(null, Schedule.nameOf(null));
  }
}
