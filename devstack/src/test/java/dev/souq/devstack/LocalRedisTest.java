package dev.souq.devstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The embedded Redis of ./run and the tests: up until it is closed, and only one per folder. */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class LocalRedisTest {
  private static final Path BINARIES = Path.of("target", "redis-bin");

  @TempDir Path data;
  private Process launcher;

  @AfterEach
  void noProcessLeftBehind() throws IOException {
    if (launcher != null) {
      launcher.destroyForcibly();
    }
    Path pid = data.resolve("redis.pid");
    if (Files.isRegularFile(pid)) {
      try {
        ProcessHandle.of(Long.parseLong(Files.readString(pid).trim()))
            .filter(p -> p.info().command().orElse("").contains("redis-server"))
            .ifPresent(ProcessHandle::destroyForcibly);
      } catch (NumberFormatException partlyWritten) {
        // nothing to stop by it
      }
    }
  }

  @Test
  void aLauncherStoppingItsServicesStillHasRedisUntilItClosesIt() throws Exception {
    launcher = launcher(false);
    BufferedReader out = output(launcher);
    int port = readyPort(out);
    assertTrue(answers(port), "Redis answers once started");

    // SIGTERM, as Kubernetes or kill would send (Process.destroy would close its output too)
    launcher.toHandle().destroy();

    assertStoppedLast(out, port);
  }

  @Test
  void aCtrlCToTheLaunchersProcessGroupLeavesRedisToItsHook() throws Exception {
    // A terminal's Ctrl-C: SIGINT to every process of the launcher's group, Redis's too if it
    // were there.
    assumeTrue(
        Executables.onPath("setsid").isPresent(),
        "setsid, which keeps Redis out of the group, is not here");
    // A build run as a background job (`./mvnw verify &` in a script) ignores SIGINT, and so does
    // every process it starts: no Ctrl-C can reach a launcher there, and the JVM keeps ignoring it.
    assumeFalse(interruptIgnored(), "this build ignores SIGINT (a background job): no Ctrl-C here");
    launcher = launcher(true);
    BufferedReader out = output(launcher);
    int port = readyPort(out);
    Process ctrlC = new ProcessBuilder("kill", "-INT", "--", "-" + launcher.pid()).start();
    assertEquals(0, ctrlC.waitFor(), "the group was signalled");

    assertStoppedLast(out, port);
  }

  /** Whether this process ignores SIGINT (bit 1 of SigIgn, Linux), which its children inherit. */
  private static boolean interruptIgnored() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("SigIgn:")) {
        return (Long.parseUnsignedLong(line.substring("SigIgn:".length()).trim(), 16) & 2) != 0;
      }
    }
    return false;
  }

  /** Whether a Redis answers PING on {@code port} now. */
  static boolean answers(int port) {
    return "+PONG".equals(LocalRedis.command(port, "PING"));
  }

  private void assertStoppedLast(BufferedReader out, int port) throws Exception {
    List<String> rest = rest(out);
    assertTrue(launcher.waitFor(30, TimeUnit.SECONDS), "the launcher exits");
    assertTrue(rest.contains("answered throughout"), "Redis answered while the hook ran: " + rest);
    assertTrue(rest.contains("closed"), "its hook closed Redis: " + rest);
    assertFalse(answers(port), "Redis is gone once closed");
  }

  @Test
  void aRedisLeftByAKilledLauncherIsStoppedByTheNextStartWithWhatItHeld() throws Exception {
    launcher = launcher(false);
    int port = readyPort(output(launcher));
    assertEquals("+OK", LocalRedis.command(port, "SET souq:left-behind 42"));
    long orphanPid = Long.parseLong(Files.readString(data.resolve("redis.pid")).trim());

    launcher.destroyForcibly(); // SIGKILL: no hook runs
    assertTrue(launcher.waitFor(30, TimeUnit.SECONDS), "the launcher is gone");
    assertTrue(answers(port), "its Redis still runs, holding the port");

    try (LocalRedis next = LocalRedis.start(data, BINARIES, port, true)) {
      assertFalse(
          ProcessHandle.of(orphanPid).map(ProcessHandle::isAlive).orElse(false),
          "the one left behind was stopped");
      assertNotEquals(
          orphanPid, Long.parseLong(Files.readString(data.resolve("redis.pid")).trim()));
      assertEquals("42", LocalRedis.command(port, "GET souq:left-behind"));
    }
  }

  @Test
  void aRedisALiveJvmRunsIsNoLeftoverForAnotherStartInItsFolder() throws Exception {
    try (LocalRedis first = LocalRedis.start(data, BINARIES, 0, false);
        LocalRedis second = LocalRedis.start(data, BINARIES, 0, false)) {
      assertTrue(answers(first.port()), "the first still runs");
      assertTrue(answers(second.port()));
    }
  }

  @Test
  void whatItHoldsOutlivesACloseAndAStart() throws Exception {
    int port;
    try (LocalRedis redis = LocalRedis.start(data, BINARIES, 0, true)) {
      port = redis.port();
      assertEquals("+OK", LocalRedis.command(port, "SET souq:kept yes"));
    }
    assertFalse(answers(port), "closed means stopped");
    try (LocalRedis again = LocalRedis.start(data, BINARIES, port, true)) {
      assertEquals("yes", LocalRedis.command(port, "GET souq:kept"));
    }
  }

  /** A launcher JVM; {@code ownGroup}: the leader of a process group of its own, as ./run is. */
  private Process launcher(boolean ownGroup) throws IOException {
    List<String> command = new ArrayList<>();
    if (ownGroup) {
      command.add("setsid");
    }
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(
        List.of(
            "-cp",
            System.getProperty("java.class.path"),
            RedisChild.class.getName(),
            data.toString(),
            BINARIES.toString()));
    return new ProcessBuilder(command).redirectErrorStream(true).start();
  }

  private static BufferedReader output(Process process) {
    return new BufferedReader(
        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
  }

  private static int readyPort(BufferedReader out) throws IOException {
    for (String line = out.readLine(); line != null; line = out.readLine()) {
      if (line.startsWith("ready ")) {
        return Integer.parseInt(line.substring("ready ".length()));
      }
    }
    throw new IOException("the launcher ended before Redis was ready");
  }

  private static List<String> rest(BufferedReader out) throws IOException {
    List<String> lines = new ArrayList<>();
    for (String line = out.readLine(); line != null; line = out.readLine()) {
      lines.add(line);
    }
    return lines;
  }
}
