package dev.souq.devstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

class PortsTest {
  @Test
  @EnabledOnOs(OS.LINUX)
  void portsAreBelowTheKernelsEphemeralRangeSoNoOutgoingConnectionTakesThem() throws Exception {
    int ephemeralStart =
        Integer.parseInt(
            Files.readAllLines(Path.of("/proc/sys/net/ipv4/ip_local_port_range"))
                .get(0)
                .split("\\s+")[0]);
    assumeTrue(ephemeralStart > 20_000, "no room below this kernel's ephemeral range");
    for (int i = 0; i < 50; i++) {
      int port = Ports.free();
      assertTrue(port >= 20_000 && port < Math.min(32_768, ephemeralStart), "port " + port);
    }
  }

  @Test
  void noPortIsGivenTwiceAndEachCanBeBound() throws Exception {
    Set<Integer> given = new HashSet<>();
    for (int i = 0; i < 100; i++) {
      int port = Ports.free();
      assertTrue(given.add(port), "given twice: " + port);
      try (ServerSocket socket = new ServerSocket(port)) {
        assertEquals(port, socket.getLocalPort());
      }
    }
  }
}
