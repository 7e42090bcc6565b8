package dev.souq.notification.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class StreamIdTest {

  @Test
  void anIdIsTwoRunsOfOneTo19DigitsAroundADash() {
    assertEquals(new StreamId(1732630000000L, 7), StreamId.parse("1732630000000-7"));
    assertEquals(new StreamId(0, 0), StreamId.parse("0-0"));
    // 19 nines: past Long.MAX_VALUE, still an unsigned long, as Redis allows.
    StreamId top = StreamId.parse("9999999999999999999-1");
    assertEquals("9999999999999999999-1", top.toString());
    for (String bad :
        new String[] {
          "",
          "-",
          "1-",
          "-1",
          "1",
          "1-2-3",
          "a-1",
          "1-b",
          " 1-1",
          "1-1 ",
          "+1-1",
          "١-1",
          "12345678901234567890-1",
          "1-12345678901234567890",
          // Past the Basic Multilingual Plane: two chars each, so more chars than bytes in Latin-1.
          "😀",
          "12345😀",
          "1-😀",
          "😀-1"
        }) {
      assertNull(StreamId.parse(bad), bad);
    }
    assertNull(StreamId.parse(null));
  }

  @Test
  void leadingZerosParseButAreNotHowRedisWritesAnId() {
    assertEquals(new StreamId(5, 0), StreamId.parse("05-0"));
    byte[] padded = "x05-00y".getBytes(StandardCharsets.US_ASCII);
    assertEquals(new StreamId(5, 0), StreamId.parse(padded, 1, 6));
    assertNull(StreamId.parseCanonical(padded, 1, 6));
    byte[] plain = "x5-0y".getBytes(StandardCharsets.US_ASCII);
    assertEquals(new StreamId(5, 0), StreamId.parseCanonical(plain, 1, 4));
    byte[] zero = "0-10".getBytes(StandardCharsets.US_ASCII);
    assertEquals(new StreamId(0, 10), StreamId.parseCanonical(zero, 0, zero.length));
  }
}
