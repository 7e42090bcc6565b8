package dev.souq.shared.json;

import java.nio.charset.StandardCharsets;

/**
 * Strict UTF-8: malformed and cut-off sequences, overlong forms ({@code C0 80}, a NUL in disguise)
 * and UTF-8-encoded surrogates are refused instead of becoming U+FFFD, as the JDK's decoder does
 * when told to report them. Request bodies, order updates and queued jobs are all read through it.
 *
 * <p>Checked by scanning the bytes against the well-formed sequences of the Unicode Standard (Table
 * 3-7), not by decoding them: every JSON body is checked before Jackson reads it, and decoding cost
 * a decoder, a char buffer and a string per body only to learn whether it was valid.
 */
public final class StrictUtf8 {
  private StrictUtf8() {}

  /**
   * The text of {@code bytes}; throws with the offset where the first malformed sequence starts.
   */
  public static String decode(byte[] bytes) throws InvalidUtf8Exception {
    return decode(bytes, 0, bytes.length);
  }

  /** The text of {@code length} bytes from {@code offset}; offsets in errors count from it. */
  public static String decode(byte[] bytes, int offset, int length) throws InvalidUtf8Exception {
    check(bytes, offset, length);
    return new String(bytes, offset, length, StandardCharsets.UTF_8);
  }

  /** Throws unless {@code length} bytes from {@code offset} are strict UTF-8; allocates nothing. */
  public static void check(byte[] bytes, int offset, int length) throws InvalidUtf8Exception {
    int bad = firstInvalid(bytes, offset, length);
    if (bad >= 0) {
      throw new InvalidUtf8Exception(bad);
    }
  }

  /**
   * Where the first sequence that is not well-formed starts, counted from {@code offset}, or -1:
   * the position the JDK's decoder stops at.
   */
  static int firstInvalid(byte[] bytes, int offset, int length) {
    int end = offset + length;
    int i = offset;
    while (i < end) {
      int lead = bytes[i];
      if (lead >= 0) {
        i++;
        continue;
      }
      lead &= 0xFF;
      // How many continuation bytes follow, and the range of the first one, which is narrower
      // after E0 and F0 (no overlong forms), ED (no surrogates) and F4 (nothing above U+10FFFF).
      int more;
      int low = 0x80;
      int high = 0xBF;
      if (lead >= 0xC2 && lead <= 0xDF) {
        more = 1;
      } else if (lead >= 0xE0 && lead <= 0xEF) {
        more = 2;
        low = lead == 0xE0 ? 0xA0 : low;
        high = lead == 0xED ? 0x9F : high;
      } else if (lead >= 0xF0 && lead <= 0xF4) {
        more = 3;
        low = lead == 0xF0 ? 0x90 : low;
        high = lead == 0xF4 ? 0x8F : high;
      } else {
        return i - offset;
      }
      if (end - i <= more) {
        return i - offset;
      }
      int second = bytes[i + 1] & 0xFF;
      if (second < low || second > high) {
        return i - offset;
      }
      for (int k = 2; k <= more; k++) {
        if ((bytes[i + k] & 0xC0) != 0x80) {
          return i - offset;
        }
      }
      i += more + 1;
    }
    return -1;
  }
}
