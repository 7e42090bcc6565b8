package dev.souq.testing.hostile;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Sends a {@link Request} over a plain socket and reads the answer, failing on a reset or a hang
 * (no answer within the timeout) rather than hiding them as a client library might. One connection
 * per request, {@code Connection: close}, so each case stands alone.
 */
public final class HttpProbe {
  private final String host;
  private final int port;
  private final Duration timeout;

  public HttpProbe(String host, int port, Duration timeout) {
    this.host = host;
    this.port = port;
    this.timeout = timeout;
  }

  /** An HTTP answer: status, headers (lower-case names) and the raw body. */
  public record Reply(int status, Map<String, String> headers, byte[] body) {
    /** The Content-Type header, or "" without one. */
    public String contentType() {
      return headers.getOrDefault("content-type", "");
    }

    /** The body as text, for failure messages. */
    public String text() {
      String text = new String(body, StandardCharsets.UTF_8);
      return text.length() > 300 ? text.substring(0, 300) + "…" : text;
    }
  }

  /** Sends the request; throws {@link AssertionError} on a reset, a hang or a garbled answer. */
  public Reply send(Request request) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
      socket.setSoTimeout((int) timeout.toMillis());
      IOException writeFailure = null;
      try {
        write(socket.getOutputStream(), request);
      } catch (IOException e) {
        // The server may answer (413) and close before taking the whole body: read what it said.
        writeFailure = e;
      }
      byte[] raw;
      try {
        raw = readAll(socket.getInputStream());
      } catch (SocketTimeoutException e) {
        throw new AssertionError("no answer within " + timeout + " (a hang)", e);
      } catch (SocketException e) {
        throw new AssertionError(
            "connection reset"
                + (writeFailure == null ? "" : " (while sending: " + writeFailure + ")"),
            e);
      }
      if (raw.length == 0) {
        throw new AssertionError(
            "the connection closed without an answer"
                + (writeFailure == null ? "" : " (while sending: " + writeFailure + ")"));
      }
      return parse(raw);
    } catch (IOException e) {
      throw new AssertionError("could not talk to the server: " + e, e);
    }
  }

  private void write(OutputStream out, Request request) throws IOException {
    StringBuilder head = new StringBuilder();
    head.append(request.method()).append(' ').append(request.path()).append(" HTTP/1.1\r\n");
    head.append("Host: ").append(host).append(':').append(port).append("\r\n");
    head.append("Connection: close\r\n");
    for (String line : request.headers()) {
      head.append(line).append("\r\n");
    }
    byte[] body = request.body();
    if (body != null && request.contentLength()) {
      head.append("Content-Length: ").append(body.length).append("\r\n");
    }
    head.append("\r\n");
    // Latin-1 so that a header or path given as raw bytes (chars 0-255) goes out unchanged.
    out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
    if (body != null) {
      if (request.contentLength()) {
        out.write(body);
      } else {
        out.write((Integer.toHexString(body.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.write("\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      }
    }
    out.flush();
  }

  private static byte[] readAll(InputStream in) throws IOException {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    for (int n; (n = in.read(buffer)) != -1; ) {
      all.write(buffer, 0, n);
    }
    return all.toByteArray();
  }

  private static Reply parse(byte[] raw) {
    String text = new String(raw, StandardCharsets.ISO_8859_1);
    int end = text.indexOf("\r\n\r\n");
    if (!text.startsWith("HTTP/1.") || end < 0) {
      throw new AssertionError(
          "not an HTTP answer: " + text.substring(0, Math.min(200, text.length())));
    }
    String[] lines = text.substring(0, end).split("\r\n");
    int status = Integer.parseInt(lines[0].substring(9, 12));
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon > 0) {
        headers.put(
            lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
            lines[i].substring(colon + 1).trim());
      }
    }
    byte[] body = java.util.Arrays.copyOfRange(raw, end + 4, raw.length);
    return new Reply(status, headers, body);
  }
}
