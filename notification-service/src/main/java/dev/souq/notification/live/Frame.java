package dev.souq.notification.live;

import dev.souq.notification.messaging.OrderEvent;
import dev.souq.notification.messaging.StreamId;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.opentelemetry.api.trace.SpanContext;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A message for browsers: its text as UTF-8, the offset it carries (null for a control message),
 * and its bytes on each transport, encoded once however many connections it is written to. The
 * WebSocket frame is an unmasked text frame (RFC 6455 5.2), as a server sends it; a connection that
 * negotiated permessage-deflate may get it uncompressed (RSV1 clear), which RFC 7692 allows per
 * message. The Server-Sent Event carries the same text as its data and the offset as its id.
 */
final class Frame {
  /** The largest frame written; longer messages are fragmented. */
  static final int MAX_FRAME = 65536;

  private final StreamId offset;
  private final byte[] utf8;
  private final ByteBuf wire;

  /** The routing span of a traced update, for the spans of its writes; null: not traced. */
  private final SpanContext routed;

  /** Whether a socket got it yet: its publish → frame time is taken once, at the first. */
  private final AtomicBoolean written = new AtomicBoolean();

  /** The event's SSE bytes, made by the first SSE connection that needs them. */
  private volatile ByteBuf event;

  private Frame(StreamId offset, byte[] utf8, SpanContext routed) {
    this.offset = offset;
    this.utf8 = utf8;
    this.routed = routed;
    this.wire = Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(encode(utf8)));
  }

  static Frame update(OrderEvent event, SpanContext routed) {
    return new Frame(event.offset(), event.utf8(), routed);
  }

  /** A replayed update: not live, so its write says nothing of publish → frame time. */
  static Frame replayed(OrderEvent event) {
    Frame frame = new Frame(event.offset(), event.utf8(), null);
    frame.written.set(true);
    return frame;
  }

  static Frame control(String text) {
    Frame frame = new Frame(null, text.getBytes(StandardCharsets.UTF_8), null);
    frame.written.set(true);
    return frame;
  }

  SpanContext routed() {
    return routed;
  }

  /** True once, at the first write of a live update (never for replays and control frames). */
  boolean firstWrite() {
    return !written.get() && written.compareAndSet(false, true);
  }

  StreamId offset() {
    return offset;
  }

  /** The text, decoded (for the paths that write a string, not these bytes). */
  String text() {
    return new String(utf8, StandardCharsets.UTF_8);
  }

  /**
   * The frame's bytes for one more write: a view of the shared buffer, with its own indexes.
   * Releasing it (Netty does, once written) is a no-op: the bytes live as long as the Frame.
   */
  ByteBuf wire() {
    return wire.duplicate();
  }

  /** The message as a Server-Sent Event, shared like {@link #wire}. */
  ByteBuf event() {
    ByteBuf encoded = event;
    if (encoded == null) {
      // Two threads may both encode it: the same bytes, and either copy will do.
      encoded = Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(event(offset, text())));
      event = encoded;
    }
    return encoded.duplicate();
  }

  /**
   * {@code id: <offset>} (updates only) and the text as {@code data:} lines, ended by a blank line
   * (WHATWG HTML, server-sent events). A line break in the text would end a data line, so each line
   * of it gets its own; JSON as Souq writes it has none.
   */
  static byte[] event(StreamId offset, String text) {
    StringBuilder out = new StringBuilder(text.length() + 48);
    if (offset != null) {
      out.append("id: ").append(offset).append('\n');
    }
    for (String line : text.split("\r\n|\r|\n", -1)) {
      out.append("data: ").append(line).append('\n');
    }
    return out.append('\n').toString().getBytes(StandardCharsets.UTF_8);
  }

  /**
   * A text message as frames, in one array: one final frame, or, past {@link #MAX_FRAME} bytes, a
   * text frame and continuations of at most that size each, as Vert.x splits a message (clients
   * commonly refuse larger frames: Vert.x's own limit is the same 65,536 bytes).
   */
  static byte[] encode(byte[] payload) {
    int frames = Math.max(1, (payload.length + MAX_FRAME - 1) / MAX_FRAME);
    int size = payload.length;
    for (int i = 0; i < frames; i++) {
      size += header(Math.min(MAX_FRAME, payload.length - i * MAX_FRAME));
    }
    byte[] out = new byte[size];
    int at = 0;
    for (int i = 0; i < frames; i++) {
      int from = i * MAX_FRAME;
      int n = Math.min(MAX_FRAME, payload.length - from);
      boolean last = i == frames - 1;
      // FIN on the last frame; opcode 1 (text) first, 0 (continuation) after.
      out[at++] = (byte) ((last ? 0x80 : 0) | (i == 0 ? 1 : 0));
      if (n < 126) {
        out[at++] = (byte) n;
      } else if (n < 65536) {
        out[at++] = 126;
        out[at++] = (byte) (n >>> 8);
        out[at++] = (byte) n;
      } else {
        out[at++] = 127;
        for (int b = 7; b >= 0; b--) {
          out[at++] = (byte) ((long) n >>> (8 * b));
        }
      }
      System.arraycopy(payload, from, out, at, n);
      at += n;
    }
    return out;
  }

  private static int header(int length) {
    return length < 126 ? 2 : length < 65536 ? 4 : 10;
  }
}
