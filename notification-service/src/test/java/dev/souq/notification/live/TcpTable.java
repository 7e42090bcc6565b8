package dev.souq.notification.live;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Linux's socket table (/proc/net/tcp): whether the server still holds a client's connection. */
final class TcpTable {
  private TcpTable() {}

  /** Whether this machine can tell: tests that need it skip without it. */
  static boolean readable() {
    return Files.isReadable(Path.of("/proc/net/tcp"));
  }

  /**
   * Whether the kernel still has the server's end of the connection from {@code clientPort}, in any
   * state: one closed with unsent data and a FIN lingers (FIN_WAIT1) while the peer reads nothing.
   */
  static boolean held(int serverPort, int clientPort) throws IOException {
    for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
      for (String line : Files.readAllLines(Path.of(table))) {
        String[] f = line.trim().split("\\s+");
        if (f.length > 3
            && f[1].endsWith(String.format(":%04X", serverPort))
            && f[2].endsWith(String.format(":%04X", clientPort))) {
          return true;
        }
      }
    }
    return false;
  }
}
