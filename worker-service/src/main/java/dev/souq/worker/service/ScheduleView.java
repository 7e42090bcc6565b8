package dev.souq.worker.service;

import dev.souq.worker.queue.Schedule;
import java.time.Instant;
import java.util.Map;

/**
 * {@code GET /api/tasks/schedules}: one schedule as configured, its next tick ({@code null} while
 * disabled, or before any replica has looked), when its last job was queued (a tick or by hand),
 * how many it has queued, and how the last run of one of its jobs ended: {@code succeeded}, {@code
 * failed} (a retry follows) or {@code dead}, with the error.
 */
public record ScheduleView(
    String name,
    String type,
    String every,
    boolean enabled,
    Instant nextRunAt,
    Instant lastRunAt,
    String lastJobId,
    long enqueued,
    String lastOutcome,
    Instant lastOutcomeAt,
    String lastError) {

  /** The view of {@code schedule} from its next tick (ZSCORE, or null) and its state hash. */
  static ScheduleView of(Schedule schedule, Double next, Map<String, String> state) {
    String error = state.get("last_error");
    return new ScheduleView(
        schedule.name(),
        schedule.type(),
        schedule.every().toString(),
        schedule.enabled(),
        schedule.enabled() && next != null ? Instant.ofEpochMilli(next.longValue()) : null,
        instant(state.get("last_run_at")),
        state.get("last_job_id"),
        state.containsKey("enqueued") ? Long.parseLong(state.get("enqueued")) : 0,
        state.get("last_outcome"),
        instant(state.get("last_outcome_at")),
        error == null || error.isEmpty() ? null : error);
  }

  private static Instant instant(String epochMillis) {
    return epochMillis == null ? null : Instant.ofEpochMilli(Long.parseLong(epochMillis));
  }
}
