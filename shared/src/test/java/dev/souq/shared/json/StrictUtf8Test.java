package dev.souq.shared.json;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The scan accepts exactly what the JDK's decoder accepts when told to report errors, and stops
 * where it stops: the decoder is the oracle, on the named edge cases and on random bytes.
 */
class StrictUtf8Test {
  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource({
    "ASCII, 7b2261223a317d, -1",
    "two bytes, c3a9, -1",
    "three bytes, e282ac, -1",
    "four bytes, f09f9880, -1",
    "the last code point, f48fbfbf, -1",
    "the first two-byte form, c280, -1",
    "the last two-byte form, dfbf, -1",
    "the first three-byte form, e0a080, -1",
    "the last code point before the surrogates, ed9fbf, -1",
    "the first four-byte form, f0908080, -1",
    "overlong NUL, 41c080, 1",
    "overlong three bytes, e080af, 0",
    "overlong four bytes, f08282ac, 0",
    "encoded surrogate, eda080, 0",
    "above U+10FFFF, f4908080, 0",
    "no such lead, 41f5808080, 1",
    "a lone continuation, 4180, 1",
    "cut off at the end, 41e282, 1",
    "cut off before ASCII, e28241, 0",
    "a bad last continuation, f09f9841, 0",
  })
  void agreesWithTheJdkDecoder(String name, String hex, int expected) {
    byte[] bytes = HexFormat.of().parseHex(hex);
    assertEquals(expected, jdk(bytes, 0, bytes.length), "the oracle");
    assertEquals(expected, StrictUtf8.firstInvalid(bytes, 0, bytes.length));
  }

  @Test
  void agreesWithTheJdkDecoderOnRandomBytesAndSlices() {
    // Bytes drawn from the edges of the table, where a scan would go wrong.
    int[] pool = {
      0x00, 0x41, 0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc0, 0xc1, 0xc2, 0xdf, 0xe0, 0xe1,
      0xec, 0xed, 0xee, 0xef, 0xf0, 0xf1, 0xf3, 0xf4, 0xf5, 0xff
    };
    Random random = new Random(20261207);
    for (int run = 0; run < 200_000; run++) {
      byte[] bytes = new byte[random.nextInt(12)];
      for (int i = 0; i < bytes.length; i++) {
        bytes[i] = (byte) pool[random.nextInt(pool.length)];
      }
      int offset = bytes.length == 0 ? 0 : random.nextInt(bytes.length);
      int length = bytes.length - offset == 0 ? 0 : random.nextInt(bytes.length - offset + 1);
      assertEquals(
          jdk(bytes, offset, length),
          StrictUtf8.firstInvalid(bytes, offset, length),
          () -> HexFormat.of().formatHex(bytes) + " from " + offset + " for " + length);
    }
  }

  @Test
  void decodesWhatItAcceptsAndNamesWhereTheFirstBadSequenceStarts() throws Exception {
    byte[] text = "{\"name\":\"Crème brûlée 😀\"}".getBytes(StandardCharsets.UTF_8);
    assertEquals("{\"name\":\"Crème brûlée 😀\"}", StrictUtf8.decode(text));
    assertArrayEquals(text, StrictUtf8.decode(text).getBytes(StandardCharsets.UTF_8));
    byte[] bad = HexFormat.of().parseHex("7b2261223a22c080227d");
    assertEquals(
        6, assertThrows(InvalidUtf8Exception.class, () -> StrictUtf8.decode(bad)).offset());
    assertEquals(
        1, assertThrows(InvalidUtf8Exception.class, () -> StrictUtf8.check(bad, 5, 5)).offset());
  }

  /** Where the JDK's reporting decoder stops, counted from {@code offset}, or -1. */
  private static int jdk(byte[] bytes, int offset, int length) {
    CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes, offset, length);
    CoderResult result = decoder.decode(in, CharBuffer.allocate(length), true);
    if (result.isUnderflow()) {
      result = decoder.flush(CharBuffer.allocate(1));
    }
    // UTF-8 never has more chars than bytes: an overflow would be a broken oracle, not a verdict.
    assertFalse(result.isOverflow());
    return result.isError() ? in.position() - offset : -1;
  }
}
