package dev.souq.devstack;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Finds a port that is already taken before anything is started, so nothing is left behind. */
final class PortCheck {
  private final Map<Integer, String> wanted = new LinkedHashMap<>();

  PortCheck want(int port, String component) {
    wanted.put(port, component);
    return this;
  }

  /** The first conflict, as a sentence that names the port and the component. */
  Optional<String> firstConflict() {
    for (Map.Entry<Integer, String> entry : wanted.entrySet()) {
      if (!free(entry.getKey())) {
        return Optional.of(
            "port "
                + entry.getKey()
                + " ("
                + entry.getValue()
                + ") is already in use; stop what holds it or choose another port");
      }
    }
    return Optional.empty();
  }

  static boolean free(int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
