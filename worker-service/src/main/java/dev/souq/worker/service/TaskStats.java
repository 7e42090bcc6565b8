package dev.souq.worker.service;

import java.util.List;
import java.util.Map;

/**
 * {@code GET /api/tasks/stats}: the queue's state across all replicas: {@code queued} is every
 * queue's jobs, {@code queues} each queue's, {@code paused} what is paused ({@code queue:<name>},
 * {@code type:<type>}; {@code GET /api/tasks/queues} has more). Counts since the stats hash was
 * created; per type: processed, retried, snoozed, paced (sent to wait for a paced type's turn),
 * dead, scheduled (failures are counted in total only: each ends retried or dead). {@code
 * scheduled}: jobs queued by schedules (ticks and runs by hand); {@code purged}: dead letters
 * removed past their retention.
 */
public record TaskStats(
    long queued,
    Map<String, Long> queues,
    List<String> paused,
    long processing,
    long delayed,
    long dead,
    long processed,
    long failed,
    long retried,
    long snoozed,
    long paced,
    long duplicates,
    long scheduled,
    long purged,
    List<String> workers,
    Map<String, Map<String, Long>> types) {}
