package dev.souq.shared.json;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Strict UTF-8: malformed and cut-off sequences, overlong forms ({@code C0 80}, a NUL in disguise)
 * and UTF-8-encoded surrogates are refused instead of becoming U+FFFD, as the JDK's decoder does
 * when told to report them. Request bodies and queued jobs are both read through it.
 */
public final class StrictUtf8 {
  private StrictUtf8() {}

  /** The text of {@code bytes}; throws with the offset of the first bad byte. */
  public static String decode(byte[] bytes) throws InvalidUtf8Exception {
    return decode(bytes, 0, bytes.length);
  }

  /** The text of {@code length} bytes from {@code offset}; offsets in errors count from it. */
  public static String decode(byte[] bytes, int offset, int length) throws InvalidUtf8Exception {
    CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes, offset, length);
    // UTF-8 never has more chars than bytes.
    CharBuffer out = CharBuffer.allocate(length);
    CoderResult result = decoder.decode(in, out, true);
    if (result.isUnderflow()) {
      result = decoder.flush(out);
    }
    if (result.isError()) {
      throw new InvalidUtf8Exception(in.position() - offset);
    }
    return out.flip().toString();
  }
}
