package dev.souq.worker.service;

import java.util.List;
import java.util.Map;

/**
 * {@code GET /api/tasks/stats}: the queue's state across all replicas. Counts since the stats hash
 * was created; per type: processed, failed, retried, snoozed, dead.
 */
public record TaskStats(
    long queued,
    long processing,
    long delayed,
    long dead,
    long processed,
    long failed,
    long retried,
    long snoozed,
    long duplicates,
    List<String> workers,
    Map<String, Map<String, Long>> types) {}
