package dev.souq.notification.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.souq.notification.messaging.StreamId;
import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The pre-encoded frames, read back by Netty's own RFC 6455 decoder (as a client reads them). */
class FrameTest {

  @Test
  void everyPayloadLengthClassDecodesToTheSameText() {
    // 7-bit, 16-bit and 64-bit lengths (65,536 is one full frame), around their edges, with
    // multi-byte UTF-8 (é is 2 bytes).
    for (int length : new int[] {0, 1, 125, 126, 127, 65535, 65536}) {
      String text = "é".repeat(length / 2) + "x".repeat(length % 2);
      assertEquals(text, decode(Frame.control(text).wire()), "payload of " + length + " bytes");
    }
  }

  @Test
  void asAServerSentEventTheOffsetIsTheIdAndEachLineIsADataLine() {
    StreamId offset = StreamId.parse("1732630000000-7");
    assertEquals(
        "id: 1732630000000-7\ndata: {\"a\":1}\n\n",
        new String(Frame.event(offset, "{\"a\":1}"), StandardCharsets.UTF_8));
    // A line break of any kind would end the data line early: each line gets its own.
    assertEquals(
        "data: one\ndata: two\ndata: three\ndata: \n\n",
        new String(Frame.event(null, "one\r\ntwo\rthree\n"), StandardCharsets.UTF_8));
  }

  @Test
  void eachWriteGetsItsOwnViewOfTheSameBytes() {
    Frame frame = Frame.control("{\"type\":\"reload\"}");
    ByteBuf first = frame.wire();
    ByteBuf second = frame.wire();
    assertNotSame(first, second);
    first.skipBytes(first.readableBytes()); // as a socket write consumes it
    first.release(); // as Netty releases it once written: the shared bytes stay
    assertEquals("{\"type\":\"reload\"}", decode(second));
    assertEquals("{\"type\":\"reload\"}", decode(frame.wire()));
  }

  @Test
  void aMessageLongerThanAFrameIsSplitIntoContinuationsOfAtMostAFrame() {
    String text = "é".repeat(Frame.MAX_FRAME); // 131,072 bytes: two full frames
    EmbeddedChannel client = client();
    client.writeInbound(Frame.control(text).wire());
    StringBuilder received = new StringBuilder();
    List<Boolean> fins = new ArrayList<>();
    for (WebSocketFrame frame = client.readInbound(); frame != null; frame = client.readInbound()) {
      assertTrue(frame.content().readableBytes() <= Frame.MAX_FRAME);
      assertTrue(received.isEmpty() == frame instanceof TextWebSocketFrame);
      received.append(frame.content().toString(StandardCharsets.UTF_8));
      fins.add(frame.isFinalFragment());
      frame.release();
    }
    assertEquals(List.of(false, true), fins);
    assertEquals(text, received.toString());
  }

  private static String decode(ByteBuf frame) {
    EmbeddedChannel client = client();
    client.writeInbound(frame);
    TextWebSocketFrame text = client.readInbound();
    try {
      assertTrue(text.isFinalFragment());
      return text.text();
    } finally {
      text.release();
      client.finishAndReleaseAll();
    }
  }

  /** A client's decoder: unmasked frames, no extensions, up to 1 MB per frame. */
  private static EmbeddedChannel client() {
    return new EmbeddedChannel(new WebSocket13FrameDecoder(false, false, 1 << 20));
  }
}
