package dev.souq.worker.rest;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import dev.souq.worker.queue.DeadLetter;
import java.util.List;

/**
 * A page of dead letters, newest first; {@code job} is cut to a preview, {@code job_size} tells.
 */
public record DeadLetterPage(List<Entry> items, long offset, long limit, long total) {

  /** A dead letter as listed: its job shortened to a preview, with the job's full size. */
  public record Entry(@JsonUnwrapped DeadLetter letter, int jobSize) {
    private static final int PREVIEW = 2000;

    public static Entry of(DeadLetter letter) {
      String job = letter.job() == null ? "" : letter.job();
      String preview = job.length() > PREVIEW ? job.substring(0, PREVIEW) + "…" : job;
      return new Entry(letter.withJob(preview), job.length());
    }
  }
}
