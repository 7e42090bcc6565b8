package dev.souq.worker.queue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The stand-in {@code fetch.lua} leaves in Redis for a job over a sixteenth of the worker's heap: a
 * NUL, {@code souq-cut:}, the job's size, {@code :} and its first bytes. The worker never holds
 * such a job whole (one bigger than its heap stopped it); it buries the stand-in as {@code
 * too_large}, the dead letter keeping those first bytes and the size.
 */
record CutJob(long size, byte[] prefix) {
  private static final byte[] MARK = "\0souq-cut:".getBytes(StandardCharsets.US_ASCII);

  /** The job {@code raw} stands for; null if {@code raw} is a job as pushed. */
  static CutJob of(byte[] raw) {
    if (raw.length < MARK.length || !Arrays.equals(raw, 0, MARK.length, MARK, 0, MARK.length)) {
      return null;
    }
    int colon = MARK.length;
    while (colon < raw.length && colon - MARK.length <= 19 && raw[colon] != ':') {
      colon++;
    }
    long size;
    try {
      size =
          Long.parseLong(
              new String(raw, MARK.length, colon - MARK.length, StandardCharsets.US_ASCII));
    } catch (NumberFormatException | IndexOutOfBoundsException e) {
      return null;
    }
    byte[] prefix = colon < raw.length ? Arrays.copyOfRange(raw, colon + 1, raw.length) : null;
    // Pushed by hand, not cut: a job like any other garbage.
    return prefix == null || size <= prefix.length ? null : new CutJob(size, prefix);
  }
}
