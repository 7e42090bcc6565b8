package dev.souq.notification.live;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A WebSocket client at the byte level (RFC 6455), for what no well-behaved client sends: raw
 * handshake headers, invalid UTF-8, unmasked or reserved-bit frames, lying lengths. It records the
 * upgrade's HTTP status, the text messages, pings and close code the server sends.
 */
final class RawSocket implements AutoCloseable {
  static final int TEXT = 0x1;
  static final int BINARY = 0x2;
  static final int CLOSE = 0x8;
  static final int PING = 0x9;

  private final Socket socket;
  private final OutputStream out;
  private final int status;
  private final List<String> texts = new CopyOnWriteArrayList<>();
  private final List<String> textsAfterClose = new CopyOnWriteArrayList<>();
  private final List<Long> pings = new CopyOnWriteArrayList<>();
  private final List<Long> textsReceivedAt = new CopyOnWriteArrayList<>();
  private volatile Integer closeCode;
  private volatile boolean ended;
  private volatile boolean disconnected;

  private RawSocket(Socket socket, int status) throws IOException {
    this.socket = socket;
    this.out = socket.getOutputStream();
    this.status = status;
  }

  /**
   * Sends an upgrade request for {@code target} (path and query) with {@code headers} (raw header
   * lines, each ending in CRLF) and reads the answer; frames are read in the background after 101.
   */
  static RawSocket open(URI base, String target, byte[] headers) {
    try {
      Socket socket = new Socket(base.getHost(), base.getPort());
      socket.setSoTimeout(30_000);
      byte[] key = new byte[16];
      ThreadLocalRandom.current().nextBytes(key);
      ByteArrayOutputStream request = new ByteArrayOutputStream();
      request.writeBytes(
          ("GET "
                  + target
                  + " HTTP/1.1\r\nHost: "
                  + base.getHost()
                  + ":"
                  + base.getPort()
                  + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: "
                  + Base64.getEncoder().encodeToString(key)
                  + "\r\nSec-WebSocket-Version: 13\r\n")
              .getBytes(StandardCharsets.ISO_8859_1));
      request.writeBytes(headers);
      request.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
      socket.getOutputStream().write(request.toByteArray());
      DataInputStream in = new DataInputStream(socket.getInputStream());
      RawSocket raw = new RawSocket(socket, statusOf(in));
      if (raw.status == 101) {
        Thread reader = new Thread(() -> raw.read(in), "raw-websocket-reader");
        reader.setDaemon(true);
        reader.start();
      } else {
        raw.ended = true;
        socket.close();
      }
      return raw;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The status line's code, after reading the response headers up to the blank line. */
  private static int statusOf(DataInputStream in) throws IOException {
    String statusLine = line(in);
    while (!line(in).isEmpty()) {
      // headers: not needed
    }
    String[] parts = statusLine.split(" ");
    return parts.length > 1 ? Integer.parseInt(parts[1]) : -1;
  }

  private static String line(DataInputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) != '\n') {
      if (b == -1) {
        throw new EOFException("connection closed during the handshake");
      }
      if (b != '\r') {
        line.write(b);
      }
    }
    return line.toString(StandardCharsets.ISO_8859_1);
  }

  private void read(DataInputStream in) {
    try {
      while (true) {
        int first = in.readUnsignedByte();
        int second = in.readUnsignedByte();
        long length = second & 0x7f;
        if (length == 126) {
          length = in.readUnsignedShort();
        } else if (length == 127) {
          length = in.readLong();
        }
        byte[] payload = new byte[(int) length];
        in.readFully(payload);
        int opcode = first & 0x0f;
        if (opcode == PING) {
          pings.add(System.nanoTime());
        } else if (opcode == TEXT) {
          if (closeCode == null) {
            textsReceivedAt.add(System.nanoTime());
          }
          (closeCode == null ? texts : textsAfterClose)
              .add(new String(payload, StandardCharsets.UTF_8));
        } else if (opcode == CLOSE && closeCode == null) {
          closeCode = payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : 1005;
          ended = true; // over for the protocol; read on, to see what a server sends after it
        }
      }
    } catch (IOException e) {
      // the server closed the connection (or reset it): ended, with or without a close frame
    } finally {
      ended = true;
      disconnected = true;
    }
  }

  /** Sends a masked frame with FIN set and {@code opcode}. */
  void send(int opcode, byte[] payload) {
    sendFrame(0x80 | opcode, payload, true);
  }

  void sendText(String text) {
    send(TEXT, text.getBytes(StandardCharsets.UTF_8));
  }

  /** Sends one frame whose first byte (FIN, RSV, opcode) is {@code first}, masked or not. */
  void sendFrame(int first, byte[] payload, boolean masked) {
    ByteArrayOutputStream frame = new ByteArrayOutputStream();
    frame.write(first);
    int mask = masked ? 0x80 : 0;
    if (payload.length < 126) {
      frame.write(mask | payload.length);
    } else if (payload.length < 65536) {
      frame.write(mask | 126);
      frame.write(payload.length >>> 8);
      frame.write(payload.length & 0xff);
    } else {
      frame.write(mask | 127);
      for (int shift = 56; shift >= 0; shift -= 8) {
        frame.write((int) ((long) payload.length >>> shift) & 0xff);
      }
    }
    byte[] body = payload.clone();
    if (masked) {
      byte[] key = new byte[4];
      ThreadLocalRandom.current().nextBytes(key);
      frame.writeBytes(key);
      for (int i = 0; i < body.length; i++) {
        body[i] ^= key[i % 4];
      }
    }
    frame.writeBytes(body);
    sendRaw(frame.toByteArray());
  }

  /** Writes bytes as they are; a server that already closed is not an error here. */
  void sendRaw(byte[] bytes) {
    try {
      out.write(bytes);
      out.flush();
    } catch (IOException closed) {
      // what the server did about it is in closeCode() / ended()
    }
  }

  /** The upgrade's HTTP status: 101 when it became a WebSocket. */
  int status() {
    return status;
  }

  List<String> texts() {
    return List.copyOf(texts);
  }

  /** When (System.nanoTime) each text message of {@link #texts} came. */
  List<Long> textsReceivedAt() {
    return List.copyOf(textsReceivedAt);
  }

  /** When (System.nanoTime) each of the server's pings came; none is answered. */
  List<Long> pings() {
    return List.copyOf(pings);
  }

  /** The server's close code, 1005 for a close frame without one, null if none came. */
  Integer closeCode() {
    return closeCode;
  }

  /** Whether the connection is over (a close frame, a TCP close or a reset). */
  boolean ended() {
    return ended;
  }

  /** Text messages the server sent after its close frame, which RFC 6455 forbids. */
  List<String> textsAfterClose() {
    return List.copyOf(textsAfterClose);
  }

  /** Whether the TCP connection is over (closed or reset). */
  boolean disconnected() {
    return disconnected;
  }

  /** Ends the connection with a TCP reset, as a client whose network or process died does. */
  void reset() {
    try {
      socket.setSoLinger(true, 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    close();
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException ignored) {
      // closing anyway
    }
  }
}
