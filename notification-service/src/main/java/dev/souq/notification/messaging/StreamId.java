package dev.souq.notification.messaging;

import java.nio.charset.StandardCharsets;

/** A Redis stream entry id ({@code <ms>-<seq>}), ordered as Redis orders them. */
public record StreamId(long millis, long sequence) implements Comparable<StreamId> {
  /** Digits per part: 19 always fit an unsigned long (2^64 ≈ 1.8 × 10^19), so none overflows. */
  private static final int MAX_DIGITS = 19;

  /** Before every entry: where a reader starts when the stream was empty. */
  public static final StreamId ZERO = new StreamId(0, 0);

  /** The id in {@code text} (1–19 ASCII digits, a dash, 1–19 more), or null if it is not one. */
  public static StreamId parse(String text) {
    if (text == null || !text.chars().allMatch(c -> c < 0x80)) {
      return null; // nothing outside ASCII is a digit or a dash; below it, one byte per char
    }
    return parse(text.getBytes(StandardCharsets.US_ASCII), 0, text.length());
  }

  /** The id in {@code bytes} from {@code from} to {@code to} (exclusive), or null. */
  public static StreamId parse(byte[] bytes, int from, int to) {
    int dash = dash(bytes, from, to);
    if (!digits(bytes, from, dash) || !digits(bytes, dash + 1, to)) {
      return null;
    }
    return new StreamId(value(bytes, from, dash), value(bytes, dash + 1, to));
  }

  /**
   * The same, only as Redis writes an id (no part with a leading zero), so the bytes are what
   * {@link #toString} writes.
   */
  public static StreamId parseCanonical(byte[] bytes, int from, int to) {
    StreamId id = parse(bytes, from, to);
    int dash = dash(bytes, from, to);
    return id == null || leadingZero(bytes, from, dash) || leadingZero(bytes, dash + 1, to)
        ? null
        : id;
  }

  /** Where the first '-' is, or {@code to}. */
  private static int dash(byte[] bytes, int from, int to) {
    int dash = from;
    while (dash < to && bytes[dash] != '-') {
      dash++;
    }
    return dash;
  }

  private static boolean leadingZero(byte[] bytes, int from, int to) {
    return to - from > 1 && bytes[from] == '0';
  }

  private static boolean digits(byte[] bytes, int from, int to) {
    if (to - from < 1 || to - from > MAX_DIGITS) {
      return false;
    }
    for (int i = from; i < to; i++) {
      if (bytes[i] < '0' || bytes[i] > '9') {
        return false;
      }
    }
    return true;
  }

  private static long value(byte[] bytes, int from, int to) {
    long value = 0;
    for (int i = from; i < to; i++) {
      value = value * 10 + (bytes[i] - '0');
    }
    return value;
  }

  @Override
  public int compareTo(StreamId other) {
    int byTime = Long.compareUnsigned(millis, other.millis);
    return byTime != 0 ? byTime : Long.compareUnsigned(sequence, other.sequence);
  }

  public boolean after(StreamId other) {
    return other == null || compareTo(other) > 0;
  }

  @Override
  public String toString() {
    return Long.toUnsignedString(millis) + "-" + Long.toUnsignedString(sequence);
  }
}
