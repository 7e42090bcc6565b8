package dev.souq.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * Steers a {@link TcpProxy} over its control port. Quarkus loads each test profile's classes anew,
 * while the proxy lives once per JVM; a socket is the one handle every class loader shares.
 */
public record ProxyControl(int port, int controlPort) {

  /** Drops every open connection and refuses new ones; returns once done. */
  public void cut() {
    send("cut");
  }

  /** Drops every open connection and leaves new ones unanswered; returns once done. */
  public void stall() {
    send("stall");
  }

  /**
   * Keeps open connections open but silent, both ways, and leaves new ones unanswered; returns once
   * done.
   */
  public void freeze() {
    send("freeze");
  }

  /**
   * Drops, for good, whatever either side sends on the connections open now, which stay open; new
   * connections go through. Returns once done.
   */
  public void strand() {
    send("strand");
  }

  /** How many stranded connections their client has not closed yet. */
  public int strandedConnections() {
    return Integer.parseInt(ask("stranded").substring("ok ".length()));
  }

  /** Lets connections through again. */
  public void restore() {
    send("restore");
  }

  private void send(String command) {
    if (!"ok".equals(ask(command))) {
      throw new UncheckedIOException(new IOException("proxy did not confirm " + command));
    }
  }

  private String ask(String command) {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), controlPort);
        var in =
            new BufferedReader(
                new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))) {
      socket.getOutputStream().write((command + "\n").getBytes(StandardCharsets.US_ASCII));
      String answer = in.readLine();
      if (answer == null || !answer.startsWith("ok")) {
        throw new IOException("proxy did not confirm " + command);
      }
      return answer;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
