package dev.souq.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
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
  /** How long an answer may take: a hang fails the test instead of stalling it. */
  private static final int REPLY_MILLIS = 5000;

  private static final byte[] CRLF = {'\r', '\n'};

  /**
   * More time per 10 MiB sent: Redis answers once it has read and stored the whole command, and a
   * 200 MB one (OversizedJobIT) took 0.1–0.6 s after the write on a quiet box and over 5 s under
   * CI's two builds.
   */
  private static final int MILLIS_PER_10_MIB = 1000;

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
      InputStream in = new BufferedInputStream(socket.getInputStream());
      if (uri.getUserInfo() != null && uri.getUserInfo().contains(":")) {
        String password = uri.getRawUserInfo().substring(uri.getRawUserInfo().indexOf(':') + 1);
        send(socket, "AUTH", URLDecoder.decode(password, StandardCharsets.UTF_8));
        line(in);
      }
      String path = uri.getPath() == null ? "" : uri.getPath().replace("/", "");
      if (!path.isEmpty()) {
        send(socket, "SELECT", path);
        line(in);
      }
      send(socket, args);
      return reader.read(in);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Sends {@code args}, and gives its answer time in step with its size. */
  private static void send(Socket socket, String... args) throws IOException {
    byte[] command = encode(args);
    socket.setSoTimeout(REPLY_MILLIS + (int) (command.length / (10L << 20)) * MILLIS_PER_10_MIB);
    OutputStream out = socket.getOutputStream();
    out.write(command);
    out.flush();
  }

  /** {@code args} as one RESP command. */
  private static byte[] encode(String... args) {
    ByteArrayOutputStream command = new ByteArrayOutputStream();
    command.writeBytes(("*" + args.length + "\r\n").getBytes(StandardCharsets.UTF_8));
    for (String arg : args) {
      byte[] bytes = arg.getBytes(StandardCharsets.UTF_8);
      command.writeBytes(("$" + bytes.length + "\r\n").getBytes(StandardCharsets.UTF_8));
      command.writeBytes(bytes);
      command.writeBytes(CRLF);
    }
    return command.toByteArray();
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
