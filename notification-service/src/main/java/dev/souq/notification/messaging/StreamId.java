package dev.souq.notification.messaging;

import java.util.regex.Pattern;

/** A Redis stream entry id ({@code <ms>-<seq>}), ordered as Redis orders them. */
public record StreamId(long millis, long sequence) implements Comparable<StreamId> {
  private static final Pattern FORMAT = Pattern.compile("\\d{1,19}-\\d{1,19}");

  /** Before every entry: where a reader starts when the stream was empty. */
  public static final StreamId ZERO = new StreamId(0, 0);

  /** The id in {@code text}, or null if it is not one. */
  public static StreamId parse(String text) {
    if (text == null || !FORMAT.matcher(text).matches()) {
      return null;
    }
    int dash = text.indexOf('-');
    try {
      return new StreamId(
          Long.parseUnsignedLong(text.substring(0, dash)),
          Long.parseUnsignedLong(text.substring(dash + 1)));
    } catch (NumberFormatException e) {
      return null;
    }
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
