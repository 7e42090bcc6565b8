package dev.souq.testing.hostile;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * One raw HTTP/1.1 request, as bytes: path, headers and body are sent exactly as given, so that
 * what JSON escaping or a client library would clean up reaches the server. {@code {{name}}} in the
 * path, a header or the body is replaced when the request is sent (a session, an order id, a unique
 * SKU).
 */
public record Request(
    String method, String path, List<String> headers, byte[] body, boolean contentLength) {

  /** A request without a body. */
  public static Request of(String method, String path, String... headers) {
    return new Request(method, path, List.of(headers), null, true);
  }

  /** The same request with this body (bytes as given) and a Content-Length. */
  public Request body(byte[] bytes) {
    return new Request(method, path, headers, bytes, true);
  }

  /** The same request with this UTF-8 body. */
  public Request body(String text) {
    return body(text.getBytes(StandardCharsets.UTF_8));
  }

  /** The same request with one more header line ({@code "Name: value"}). */
  public Request header(String line) {
    List<String> more = new ArrayList<>(headers);
    more.add(line);
    return new Request(method, path, List.copyOf(more), body, contentLength);
  }

  /** The same request, its body sent chunked instead of with a Content-Length. */
  public Request chunked() {
    return header("Transfer-Encoding: chunked").withoutContentLength();
  }

  private Request withoutContentLength() {
    return new Request(method, path, headers, body, false);
  }

  /** The request with every {@code {{name}}} replaced; each supplier is asked once per use. */
  public Request resolve(Map<String, Supplier<String>> values) {
    String p = fill(path, values);
    List<String> h = headers.stream().map(line -> fill(line, values)).toList();
    byte[] b = body;
    if (b != null) {
      // Latin-1 maps each byte to one char and back: raw bytes survive the replacement.
      b =
          fill(new String(b, StandardCharsets.ISO_8859_1), values)
              .getBytes(StandardCharsets.ISO_8859_1);
    }
    return new Request(method, p, h, b, contentLength);
  }

  private static String fill(String text, Map<String, Supplier<String>> values) {
    if (!text.contains("{{")) {
      return text;
    }
    String result = text;
    for (Map.Entry<String, Supplier<String>> value : values.entrySet()) {
      String token = "{{" + value.getKey() + "}}";
      while (result.contains(token)) {
        result =
            result.replaceFirst(
                java.util.regex.Pattern.quote(token),
                java.util.regex.Matcher.quoteReplacement(value.getValue().get()));
      }
    }
    return result;
  }
}
