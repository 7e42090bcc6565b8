package dev.souq.devstack;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * {@code ./run}'s service JVMs: each replica of each service, started from its class archive (one
 * replica per service trains it when there is none), waited for until ready, and stopped with the
 * trainers told first, so that they write their archives side by side.
 */
final class ServiceFleet {
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);
  // A JVM recording its class archive starts ~2x slower (catalog on JDK 17: 10 s against 5 s), and
  // on a first run every service trains at once: ready after ~40 s on 2 cores.
  private static final Duration TRAINING_READY_TIMEOUT = Duration.ofSeconds(180);
  private static final Duration STOP_GRACE = Duration.ofSeconds(20);

  /**
   * The operator's and the services' tokens, which only a service that {@link
   * Component#holdsTokens()} gets.
   */
  static final Set<String> TOKENS = Set.of("SOUQ_ADMIN_TOKEN", "SOUQ_SERVICE_TOKEN");

  // Writing a class archive at exit takes a JVM some seconds on a small box (CDS on JDK 17: ~8 s).
  private static final Duration TRAINING_STOP_GRACE = Duration.ofSeconds(90);
  // A JVM that ran its shutdown after SIGTERM or SIGINT exits 143 or 130; Quarkus may exit 0.
  private static final Set<Integer> CLEAN_EXITS = Set.of(0, 130, 143);

  /** How far apart the ports of two replicas of one service are. */
  static final int REPLICA_PORT_STEP = 100;

  private final Path home;
  private final Path logs;
  private final int replicas;
  // Pushed by the main thread, popped by the shutdown hook, which may come mid-start.
  private final Deque<Stoppable> started = new ConcurrentLinkedDeque<>();
  private final Queue<ServiceProcess> trainers = new ConcurrentLinkedQueue<>();
  private boolean stopping; // guarded by this

  ServiceFleet(Path home, Path logs, int replicas) {
    this.home = home;
    this.logs = logs;
    this.replicas = replicas;
  }

  /** Where replica {@code index} (from 0) of a service listens: the contract port, then above. */
  static Upstreams.Replica replica(Component component, int index) {
    int shift = REPLICA_PORT_STEP * index;
    return new Upstreams.Replica(component.port() + shift, component.managementPort() + shift);
  }

  /** Where the replicas of {@code component} listen, first to last. */
  List<Upstreams.Replica> replicasOf(Component component) {
    List<Upstreams.Replica> all = new ArrayList<>(replicas);
    for (int i = 0; i < replicas; i++) {
      all.add(replica(component, i));
    }
    return all;
  }

  /** The service's name, numbered from the second replica on: its log file's name too. */
  static String name(Component component, int index) {
    return index == 0 ? component.module() : component.module() + "-" + (index + 1);
  }

  /** Starts every replica of every service with {@code env}, and waits until all are ready. */
  void start(Map<String, String> env) throws Exception {
    keepPreviousRun(logs);
    Map<String, ServiceProcess> processes = new LinkedHashMap<>(); // by name
    for (Component component : Component.values()) {
      Path jar = home.resolve(component.module()).resolve("target/quarkus-app/quarkus-run.jar");
      if (!Files.isRegularFile(jar)) {
        throw new IllegalStateException(jar + " is missing: build with ./mvnw package first");
      }
      ClassArchive archive = ClassArchive.beside(jar, ClassArchive.jdk());
      boolean training = archive.trains();
      List<Upstreams.Replica> all = replicasOf(component);
      for (int i = 0; i < all.size(); i++) {
        processes.put(
            name(component, i),
            startReplica(component, i, all.get(i), jar, env, archive, training));
      }
      if (training) {
        Console.line(
            "  %s: JDK %d, no current %s: this run trains %s, written when Souq stops",
            component.module(),
            ClassArchive.jdk(),
            archive.kind(),
            home.relativize(archive.path()));
      } else if (!archive.aotJar()) {
        // e.g. after an image build (-Dquarkus.container-image.build), which packages fast-jar
        Console.line(
            "  %s: packaged as fast-jar, so it starts without a class archive (./mvnw package"
                + " packages it as aot-jar)",
            component.module());
      }
    }
    awaitReady(processes, trainers.isEmpty() ? READY_TIMEOUT : TRAINING_READY_TIMEOUT);
  }

  /**
   * Starts this run's logs empty: the last run's move to {@code previous/}, the one before it is
   * dropped. Appended to run after run, a log mixed every start's lines and grew for good.
   */
  static void keepPreviousRun(Path logs) throws IOException {
    if (!Files.isDirectory(logs)) {
      return;
    }
    Path previous = Files.createDirectories(logs.resolve("previous"));
    try (DirectoryStream<Path> older = Files.newDirectoryStream(previous, "*.log")) {
      for (Path log : older) {
        Files.delete(log);
      }
    }
    try (DirectoryStream<Path> last = Files.newDirectoryStream(logs, "*.log")) {
      for (Path log : last) {
        Files.move(log, previous.resolve(log.getFileName()), StandardCopyOption.REPLACE_EXISTING);
      }
    }
  }

  /** What one replica is started with: the services' shared environment, its own ports, tokens. */
  static Map<String, String> environment(
      Component component, Upstreams.Replica replica, Map<String, String> serviceEnv) {
    Map<String, String> env = new HashMap<>(serviceEnv);
    env.put("QUARKUS_MANAGEMENT_PORT", Integer.toString(replica.managementPort()));
    if (!component.holdsTokens()) {
      env.keySet().removeAll(TOKENS);
    }
    return env;
  }

  private ServiceProcess startReplica(
      Component component,
      int index,
      Upstreams.Replica replica,
      Path jar,
      Map<String, String> serviceEnv,
      ClassArchive archive,
      boolean training)
      throws Exception {
    Map<String, String> env = environment(component, replica, serviceEnv);
    Path log = logs.resolve(name(component, index) + ".log");
    ServiceProcess process =
        ServiceProcess.start(
            ServiceProcess.thisJava(),
            component,
            jar,
            replica.port(),
            env,
            log,
            archive.flags(index == 0));
    boolean trainer = index == 0 && training; // one writer per archive
    synchronized (this) {
      if (!stopping) {
        started.push(
            trainer ? () -> stopAndAdopt(process, archive) : () -> process.stop(STOP_GRACE));
        if (trainer) {
          trainers.add(process);
        }
        return process;
      }
    }
    process.stop(STOP_GRACE); // a stop came while it was starting, and has already run
    if (trainer) {
      archive.discard(); // what it wrote on the way out, if anything, is no training
    }
    throw new IllegalStateException("stopped while starting");
  }

  private static void awaitReady(Map<String, ServiceProcess> processes, Duration timeout)
      throws Exception {
    long begin = System.nanoTime();
    ExecutorService waiters = Executors.newFixedThreadPool(processes.size());
    try {
      List<Future<?>> ready = new ArrayList<>();
      for (Map.Entry<String, ServiceProcess> entry : processes.entrySet()) {
        ServiceProcess process = entry.getValue();
        ready.add(
            waiters.submit(
                () -> {
                  process.awaitReady(timeout);
                  Console.line(
                      "✓ %-22s http://localhost:%d  (ready after %.1f s)",
                      entry.getKey(), process.port(), (System.nanoTime() - begin) / 1e9);
                  return null;
                }));
      }
      for (Future<?> future : ready) {
        try {
          future.get();
        } catch (ExecutionException e) {
          throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
        }
      }
    } finally {
      waiters.shutdownNow();
    }
  }

  /**
   * Stops a training service, which writes its class archive on the way out, then puts it in place:
   * only from a run that became ready and stopped by itself (killed mid-write, the file may be
   * partial; a failed boot trained nothing worth keeping).
   */
  private static void stopAndAdopt(ServiceProcess process, ClassArchive archive) throws Exception {
    boolean stoppedByItself = process.stop(TRAINING_STOP_GRACE);
    int exit = process.awaitExit(Duration.ZERO).orElse(-1);
    boolean clean = stoppedByItself && process.becameReady() && CLEAN_EXITS.contains(exit);
    if (clean && archive.adopt()) {
      Console.line("✓ %s written: %s (the next start uses it)", archive.kind(), archive.path());
    } else {
      archive.discard();
    }
  }

  /** SIGTERM to the trainers, without waiting: they write their archives meanwhile. */
  void terminateTrainers() {
    trainers.forEach(ServiceProcess::terminate);
  }

  /**
   * Stops whatever has started, the trainers told first, then each replica, the most recent first;
   * a replica that finishes starting afterwards is stopped at once. Safe to call twice.
   */
  void stop() {
    synchronized (this) {
      stopping = true;
    }
    terminateTrainers();
    while (!started.isEmpty()) {
      try {
        started.pop().stop();
      } catch (Exception e) {
        Console.line("  (while stopping: %s)", e.getMessage());
      }
    }
  }
}
