package dev.souq.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Free ports for the processes a test or {@code ./run} starts on a port of its choosing.
 *
 * <p>A port the kernel hands out for {@code bind(0)} comes from its ephemeral range, the same range
 * every outgoing connection takes its local port from: between choosing the port and the service
 * binding it seconds later, a Redis or PostgreSQL client connection may take it ("Address already
 * in use", which failed a CI run). So the port is drawn below the ephemeral range, where only
 * listeners live, and never twice in one JVM.
 */
public final class Ports {
  private static final Path EPHEMERAL_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
  // Below Linux' default ephemeral range (32768-60999) and IANA's (49152-65535, macOS).
  private static final int LOW = 20_000;
  private static final int HIGH = 32_768;
  private static final Set<Integer> GIVEN = new HashSet<>();

  private Ports() {}

  /** A port no one listens on now, outside the ephemeral range, not given before in this JVM. */
  public static synchronized int free() {
    int high = Math.min(HIGH, ephemeralStart());
    for (int attempt = 0; attempt < 200 && high > LOW; attempt++) {
      int port = ThreadLocalRandom.current().nextInt(LOW, high);
      if (!GIVEN.contains(port) && bindable(port)) {
        GIVEN.add(port);
        return port;
      }
    }
    return kernelChosen(); // a machine whose ephemeral range covers everything: the old way
  }

  /**
   * A free port whose Redis Cluster bus port (the port + 10000, fixed in Redis 6.2) is free too,
   * both below the ephemeral range; both are given.
   */
  public static synchronized int freeWithClusterBus() {
    int high = Math.min(HIGH, ephemeralStart()) - 10_000;
    for (int attempt = 0; attempt < 200 && high > LOW; attempt++) {
      int port = ThreadLocalRandom.current().nextInt(LOW, high);
      int bus = port + 10_000;
      if (!GIVEN.contains(port) && !GIVEN.contains(bus) && bindable(port) && bindable(bus)) {
        GIVEN.add(port);
        GIVEN.add(bus);
        return port;
      }
    }
    throw new IllegalStateException("No free port with a free cluster bus port below " + high);
  }

  private static boolean bindable(int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress(port));
      return true;
    } catch (IOException taken) {
      return false;
    }
  }

  private static int kernelChosen() {
    try (ServerSocket socket = new ServerSocket(0)) {
      GIVEN.add(socket.getLocalPort());
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static int ephemeralStart() {
    try {
      // readAllLines, not readString: a /proc file reports size 0, and readString stops short.
      return Integer.parseInt(Files.readAllLines(EPHEMERAL_RANGE).get(0).trim().split("\\s+")[0]);
    } catch (IOException | RuntimeException notLinux) {
      return HIGH;
    }
  }
}
