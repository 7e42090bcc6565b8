package dev.souq.worker.service;

import dev.souq.worker.queue.DeadLetter;
import java.util.List;

/**
 * A page of dead letters, newest first; each job cut to a preview, {@code job_size} (bytes) and
 * {@code job_sha256} name the whole job (no digest for one cut in Redis, {@link
 * dev.souq.worker.queue.DeadLetter}).
 */
public record DeadLetterPage(List<DeadLetter> items, long offset, long limit, long total) {}
