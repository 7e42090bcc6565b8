package dev.souq.devstack.testing;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * Sends one command to a real Redis and returns the first line of its answer: enough for a test to
 * reach behind a service's back (delete a key, read a counter) without a client library.
 */
public final class RedisCommand {
  private RedisCommand() {}

  /** Runs {@code args} against the Redis at {@code url} (password and database honoured). */
  public static String run(String url, String... args) {
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
      return line(in);
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
}
