package dev.souq.devstack;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** One service as a child JVM, its output in a log file, ready when its readiness check is UP. */
public final class ServiceProcess {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

  private final Component component;
  private final Process process;
  private final Path log;
  private final long logStart;
  private final int port;
  private final int managementPort;
  private volatile boolean ready;

  private ServiceProcess(
      Component component, Process process, Path log, long logStart, int port, int managementPort) {
    this.component = component;
    this.process = process;
    this.log = log;
    this.logStart = logStart;
    this.port = port;
    this.managementPort = managementPort;
  }

  /**
   * Starts {@code java -jar <jar>} with the same JVM as this one, serving on {@code port}; its
   * management interface ({@code /q/*}) on {@code QUARKUS_MANAGEMENT_PORT} from {@code env}, else
   * on a free port.
   */
  public static ServiceProcess start(
      Component component, Path jar, int port, Map<String, String> env, Path log)
      throws IOException {
    return start(thisJava(), component, jar, port, env, log, List.of());
  }

  /**
   * As {@link #start(Component, Path, int, Map, Path)}, on the JVM at {@code java}, with JVM flags
   * of its own added to {@link JvmFlags#SERVICE}.
   */
  public static ServiceProcess start(
      String java,
      Component component,
      Path jar,
      int port,
      Map<String, String> env,
      Path log,
      List<String> jvmFlags)
      throws IOException {
    Files.createDirectories(log.getParent());
    long logStart = Files.exists(log) ? Files.size(log) : 0; // a restart appends to the same log
    ProcessBuilder builder =
        new ProcessBuilder(command(java, jvmFlags, jar))
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    builder.environment().putAll(env);
    builder.environment().put("QUARKUS_HTTP_PORT", Integer.toString(port));
    String management = env.get("QUARKUS_MANAGEMENT_PORT");
    int managementPort = management == null ? Ports.free() : Integer.parseInt(management);
    builder.environment().put("QUARKUS_MANAGEMENT_PORT", Integer.toString(managementPort));
    return new ServiceProcess(component, builder.start(), log, logStart, port, managementPort);
  }

  /** The java binary running this JVM, which ./run chose. */
  public static String thisJava() {
    return ProcessHandle.current().info().command().orElse("java");
  }

  /** Its public port. */
  public int port() {
    return port;
  }

  /** Where the service's public interface answers. */
  public URI uri() {
    return URI.create("http://127.0.0.1:" + port);
  }

  /** Where the service's management interface ({@code /q/*}) answers. */
  public URI managementUri() {
    return URI.create("http://127.0.0.1:" + managementPort);
  }

  private static List<String> command(String java, List<String> jvmFlags, Path jar) {
    List<String> command = new ArrayList<>();
    command.add(java);
    command.addAll(JvmFlags.SERVICE);
    command.addAll(jvmFlags);
    command.add("-jar");
    command.add(jar.toString());
    return command;
  }

  /**
   * Waits until {@code /q/health/ready} answers 200; fails early if the process dies.
   *
   * @throws IllegalStateException with the end of the log when it does not become ready in time
   */
  public void awaitReady(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    HttpRequest ready =
        HttpRequest.newBuilder(managementUri().resolve("/q/health/ready"))
            .timeout(Duration.ofSeconds(2))
            .build();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            component.module() + " exited with code " + process.exitValue() + ":\n" + tail());
      }
      try {
        if (HTTP.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          this.ready = true;
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      TimeUnit.MILLISECONDS.sleep(250);
    }
    throw new IllegalStateException(
        component.module() + " was not ready after " + timeout.toSeconds() + " s:\n" + tail());
  }

  /**
   * SIGTERM, then SIGKILL if it has not stopped after the grace period; true if it stopped by
   * itself (or had already).
   */
  public boolean stop(Duration grace) throws InterruptedException {
    if (process.isAlive()) {
      process.destroy();
      if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        return false;
      }
    }
    return true;
  }

  /** SIGKILL: the process dies at once, as on a node failure or an OOM kill. */
  public void kill() throws InterruptedException {
    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
  }

  /** Waits for the process to exit by itself; its exit code, or empty if it still runs. */
  public java.util.OptionalInt awaitExit(Duration timeout) throws InterruptedException {
    return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)
        ? java.util.OptionalInt.of(process.exitValue())
        : java.util.OptionalInt.empty();
  }

  /** SIGTERM without waiting, as Kubernetes sends it when a pod is deleted. */
  public void terminate() {
    process.destroy();
  }

  /** Whether {@link #awaitReady} has seen it ready. */
  public boolean becameReady() {
    return ready;
  }

  /** Whether the JVM still runs. */
  public boolean alive() {
    return process.isAlive();
  }

  /** The service it runs. */
  public Component component() {
    return component;
  }

  /** Its log file. */
  public Path log() {
    return log;
  }

  /** What this process has logged (its log file holds earlier runs' lines too). */
  public String logged() throws IOException {
    byte[] bytes = Files.readAllBytes(log);
    int from = (int) Math.min(logStart, bytes.length);
    return new String(bytes, from, bytes.length - from, StandardCharsets.UTF_8);
  }

  /**
   * What this process logged as errors and their causes (a long stack trace pushes them out of the
   * tail), then the end of its log.
   */
  private String tail() {
    try {
      List<String> lines = logged().lines().toList();
      int endStart = Math.max(0, lines.size() - 15);
      List<String> errors =
          lines.subList(0, endStart).stream()
              .filter(line -> line.contains(" ERROR ") || line.startsWith("Caused by: "))
              .limit(10)
              .toList();
      String end = String.join("\n", lines.subList(endStart, lines.size()));
      return errors.isEmpty() ? end : String.join("\n", errors) + "\n...\n" + end;
    } catch (IOException e) {
      return "(no log at " + log + ")";
    }
  }
}
