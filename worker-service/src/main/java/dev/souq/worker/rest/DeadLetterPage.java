package dev.souq.worker.rest;

import dev.souq.worker.queue.DeadLetter;
import java.util.List;

/**
 * A page of dead letters, newest first; {@code job} is cut to a preview, {@code job_size} tells.
 */
public record DeadLetterPage(List<Entry> items, long offset, long limit, long total) {

  /** A dead letter as listed. */
  public record Entry(
      String id,
      String reason,
      String error,
      String jobId,
      String type,
      int attempts,
      java.time.Instant enqueuedAt,
      java.time.Instant deadAt,
      String worker,
      String job,
      int jobSize) {

    private static final int PREVIEW = 2000;

    public static Entry of(DeadLetter letter) {
      String job = letter.job() == null ? "" : letter.job();
      return new Entry(
          letter.id(),
          letter.reason(),
          letter.error(),
          letter.jobId(),
          letter.type(),
          letter.attempts(),
          letter.enqueuedAt(),
          letter.deadAt(),
          letter.worker(),
          job.length() > PREVIEW ? job.substring(0, PREVIEW) + "…" : job,
          job.length());
    }
  }
}
