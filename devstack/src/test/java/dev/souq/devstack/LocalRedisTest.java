package dev.souq.devstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The embedded Redis of ./run and the tests: up until it is closed, and only one per folder. */
@Timeout(60)
class LocalRedisTest {
  private static final Path BINARIES = Path.of("target", "redis-bin");

  @TempDir Path data;

  @Test
  void aLauncherStoppingItsServicesStillHasRedisUntilItClosesIt() throws Exception {
    Process launcher = launcher();
    BufferedReader out = output(launcher);
    int port = readyPort(out);
    assertTrue(RedisCall.answers(port), "Redis answers once started");

    // SIGTERM, as Ctrl-C or Kubernetes would send (Process.destroy would close its output too)
    launcher.toHandle().destroy();
    List<String> rest = rest(out);
    assertTrue(launcher.waitFor(30, TimeUnit.SECONDS), "the launcher exits");

    assertTrue(rest.contains("answered 10 of 10"), "Redis answered while the hook ran: " + rest);
    assertTrue(rest.contains("closed"), "its hook closed Redis: " + rest);
    assertFalse(RedisCall.answers(port), "Redis is gone once closed");
  }

  @Test
  void aRedisLeftByAKilledLauncherIsStoppedByTheNextStartWithWhatItHeld() throws Exception {
    Process launcher = launcher();
    int port = readyPort(output(launcher));
    assertEquals("+OK", RedisCall.call(port, "SET souq:left-behind 42"));
    long orphanPid = Long.parseLong(Files.readString(data.resolve("redis.pid")).trim());

    launcher.destroyForcibly(); // SIGKILL: no hook runs
    assertTrue(launcher.waitFor(30, TimeUnit.SECONDS), "the launcher is gone");
    assertTrue(RedisCall.answers(port), "its Redis still runs, holding the port");

    try (LocalRedis next = LocalRedis.start(data, BINARIES, port, true)) {
      assertFalse(
          ProcessHandle.of(orphanPid).map(ProcessHandle::isAlive).orElse(false),
          "the one left behind was stopped");
      assertNotEquals(
          orphanPid, Long.parseLong(Files.readString(data.resolve("redis.pid")).trim()));
      assertEquals("42", RedisCall.call(port, "GET souq:left-behind"));
    }
  }

  @Test
  void whatItHoldsOutlivesACloseAndAStart() throws Exception {
    int port;
    try (LocalRedis redis = LocalRedis.start(data, BINARIES, 0, true)) {
      port = redis.port();
      assertEquals("+OK", RedisCall.call(port, "SET souq:kept yes"));
    }
    assertFalse(RedisCall.answers(port), "closed means stopped");
    try (LocalRedis again = LocalRedis.start(data, BINARIES, port, true)) {
      assertEquals("yes", RedisCall.call(port, "GET souq:kept"));
    }
  }

  private Process launcher() throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return new ProcessBuilder(
            java,
            "-cp",
            System.getProperty("java.class.path"),
            RedisChild.class.getName(),
            data.toString(),
            BINARIES.toString())
        .redirectErrorStream(true)
        .start();
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
