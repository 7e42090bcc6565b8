package dev.souq.devstack;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** One inline Redis command on a connection of its own: enough to see what a server holds. */
final class RedisCall {
  private RedisCall() {}

  /** The reply's first line, or a bulk string's value; an exception if nothing answers. */
  static String call(int port, String inline) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(2_000);
      socket.getOutputStream().write((inline + "\r\n").getBytes(StandardCharsets.UTF_8));
      BufferedReader in =
          new BufferedReader(
              new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
      String first = in.readLine();
      return first.startsWith("$") && !first.equals("$-1") ? in.readLine() : first;
    }
  }

  /** Whether it answers PING now. */
  static boolean answers(int port) {
    try {
      return "+PONG".equals(call(port, "PING"));
    } catch (IOException down) {
      return false;
    }
  }
}
