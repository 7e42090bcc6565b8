package dev.souq.worker.queue;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;

/**
 * An entry of tasks:dead: why the job died, its last error (a message, never a stack trace), how
 * often it ran, and the job as it was pushed: as text when its bytes are UTF-8, else in {@code
 * job_base64}; a job over {@code worker.dead-letter-job-bytes} only as a prefix ({@code
 * job_truncated}), so a flood of huge garbage cannot fill Redis. {@code job_size} (bytes) and
 * {@code job_sha256} name the whole job; a job too big for the worker's heap, cut in Redis before
 * the worker read it ({@link CutJob}), has no digest. The id comes first in the JSON, which is how
 * a script finds an entry by id.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonPropertyOrder({
  "id",
  "reason",
  "error",
  "job_id",
  "type",
  "attempts",
  "enqueued_at",
  "dead_at"
})
public record DeadLetter(
    String id,
    String reason,
    String error,
    String jobId,
    String type,
    int attempts,
    Instant enqueuedAt,
    Instant deadAt,
    String worker,
    String job,
    String jobBase64,
    Long jobSize,
    String jobSha256,
    boolean jobTruncated) {

  private static final int PREVIEW = 2000;

  /**
   * A dead letter of {@code raw}, keeping at most {@code keep} of its bytes; of a job cut in Redis
   * ({@link CutJob}), what the stand-in kept, without a digest (the worker never had the job).
   */
  static DeadLetter of(
      String id,
      String reason,
      String error,
      String jobId,
      String type,
      int attempts,
      Instant enqueuedAt,
      String worker,
      byte[] raw,
      int keep) {
    CutJob cut = CutJob.of(raw);
    byte[] kept;
    String text;
    if (cut != null) {
      byte[] whole = Arrays.copyOf(cut.prefix(), wholeCharacters(cut.prefix()));
      text = JobReader.textOf(whole);
      kept = text == null ? cut.prefix() : whole;
    } else {
      text = JobReader.textOf(raw);
      kept =
          raw.length > keep ? Arrays.copyOf(raw, text == null ? keep : charStart(raw, keep)) : raw;
    }
    return new DeadLetter(
        id,
        reason,
        error,
        jobId,
        type,
        attempts,
        enqueuedAt,
        Instant.now(),
        worker,
        text == null ? null : new String(kept, StandardCharsets.UTF_8),
        text == null ? Base64.getEncoder().encodeToString(kept) : null,
        cut != null ? cut.size() : (long) raw.length,
        cut != null ? null : Digests.sha256(raw),
        cut != null || raw.length > keep);
  }

  /** How many of {@code bytes} end at a character boundary: a cut's last character may be split. */
  private static int wholeCharacters(byte[] bytes) {
    int lead = bytes.length - 1;
    while (lead > 0 && bytes.length - lead < 4 && (bytes[lead] & 0xC0) == 0x80) {
      lead--;
    }
    if (lead < 0) {
      return 0;
    }
    int first = bytes[lead] & 0xFF;
    int length = first >= 0xF0 ? 4 : first >= 0xE0 ? 3 : first >= 0xC0 ? 2 : 1;
    return lead + length <= bytes.length ? bytes.length : lead;
  }

  /** The largest cut ≤ {@code at} that does not split a UTF-8 character. */
  private static int charStart(byte[] raw, int at) {
    int cut = at;
    while (cut > 0 && (raw[cut] & 0xC0) == 0x80) {
      cut--;
    }
    return cut;
  }

  /** The job's exact bytes; only whole if not {@link #jobTruncated}. */
  public byte[] jobBytes() {
    if (jobBase64 != null) {
      return Base64.getDecoder().decode(jobBase64);
    }
    return job == null ? new byte[0] : job.getBytes(StandardCharsets.UTF_8);
  }

  /**
   * This dead letter as listed: the job cut to a preview, and its size (in bytes) filled in for
   * entries written before sizes were kept.
   */
  public DeadLetter preview() {
    long size = jobSize != null ? jobSize : jobBytes().length;
    return new DeadLetter(
        id,
        reason,
        error,
        jobId,
        type,
        attempts,
        enqueuedAt,
        deadAt,
        worker,
        cut(job),
        cut(jobBase64),
        size,
        jobSha256,
        jobTruncated);
  }

  private static String cut(String text) {
    return text != null && text.length() > PREVIEW ? text.substring(0, PREVIEW) + "…" : text;
  }

  /** The text a stored entry starts with, for finding it by id. */
  public static String prefix(String id) {
    return "{\"id\":\"" + id + "\"";
  }
}
