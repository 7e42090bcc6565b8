package dev.souq.testing;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * Sends one command to a real Redis and returns its answer: enough for a test to reach behind a
 * service's back (delete a key, read a counter, list a queue) without a client library.
 */
public final class RedisCommand {
  private RedisCommand() {}

  /** Runs {@code args} against the Redis at {@code url}; the first line of the answer. */
  public static String run(String url, String... args) {
    return exchange(url, args, RedisCommand::line);
  }

  /**
   * Runs {@code args} and decodes the whole answer: a String (simple or bulk), a Long, a List of
   * those (arrays), or null; an error reply throws.
   */
  public static Object call(String url, String... args) {
    return exchange(url, args, RedisCommand::reply);
  }

  /** {@link #call} for commands that answer an array of strings (LRANGE, SMEMBERS, …). */
  @SuppressWarnings("unchecked")
  public static java.util.List<String> list(String url, String... args) {
    Object reply = call(url, args);
    return reply == null ? java.util.List.of() : (java.util.List<String>) reply;
  }

  private interface Reader<T> {
    T read(InputStream in) throws IOException;
  }

  private static <T> T exchange(String url, String[] args, Reader<T> reader) {
    URI uri = URI.create(url);
    try (Socket socket = new Socket(uri.getHost(), uri.getPort() == -1 ? 6379 : uri.getPort())) {
      socket.setSoTimeout(5000);
      OutputStream out = socket.getOutputStream();
      InputStream in = new BufferedInputStream(socket.getInputStream());
      if (uri.getUserInfo() != null && uri.getUserInfo().contains(":")) {
        String password = uri.getRawUserInfo().substring(uri.getRawUserInfo().indexOf(':') + 1);
        send(out, "AUTH", URLDecoder.decode(password, StandardCharsets.UTF_8));
        line(in);
      }
      String path = uri.getPath() == null ? "" : uri.getPath().replace("/", "");
      if (!path.isEmpty()) {
        send(out, "SELECT", path);
        line(in);
      }
      send(out, args);
      return reader.read(in);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static void send(OutputStream out, String... args) throws IOException {
    StringBuilder command = new StringBuilder("*").append(args.length).append("\r\n");
    for (String arg : args) {
      byte[] bytes = arg.getBytes(StandardCharsets.UTF_8);
      command.append('$').append(bytes.length).append("\r\n").append(arg).append("\r\n");
    }
    out.write(command.toString().getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  private static String line(InputStream in) throws IOException {
    StringBuilder line = new StringBuilder();
    int c;
    while ((c = in.read()) != -1 && c != '\n') {
      if (c != '\r') {
        line.append((char) c);
      }
    }
    return line.toString();
  }

  private static Object reply(InputStream in) throws IOException {
    String line = line(in);
    String rest = line.substring(1);
    switch (line.charAt(0)) {
      case '+':
        return rest;
      case '-':
        throw new IllegalStateException("Redis: " + rest);
      case ':':
        return Long.parseLong(rest);
      case '$':
        int length = Integer.parseInt(rest);
        if (length < 0) {
          return null;
        }
        byte[] bytes = in.readNBytes(length + 2);
        return new String(bytes, 0, length, StandardCharsets.UTF_8);
      case '*':
        int count = Integer.parseInt(rest);
        if (count < 0) {
          return null;
        }
        java.util.List<Object> items = new java.util.ArrayList<>(count);
        for (int i = 0; i < count; i++) {
          items.add(reply(in));
        }
        return items;
      default:
        throw new IllegalStateException("Unexpected Redis reply: " + line);
    }
  }
}
