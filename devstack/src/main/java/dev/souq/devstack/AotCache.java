package dev.souq.devstack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.jar.JarFile;

/**
 * A service's AOT cache ({@code app.aot} beside its {@code quarkus-run.jar}; JDK 25+, JEPs 483, 514
 * and 515): the classes its start-up loaded and linked and its methods' profiles, so the next start
 * skips that work (catalog-service on 2 cores: 4.7 s to 1.5 s). Only a service packaged as {@code
 * aot-jar} (what a build on JDK 25+ makes: the root pom's aot-jar profile) has its classes on the
 * plain class path a cache can hold; for any other, and before JDK 25, there are no flags.
 *
 * <p>The first run on such a JDK trains it: the JVM records what the service does and writes the
 * cache when the service stops, into a file of its own that {@link #adopt} then puts in place, so
 * an interrupted write is never used. A cache older than the jar (a rebuild) is trained again.
 */
public final class AotCache {
  /** The first JDK whose {@code -XX:AOTCacheOutput} trains and writes a cache in one run. */
  public static final int FIRST_JDK = 25;

  private static final String AOT_ENTRY_POINT = "io.quarkus.bootstrap.runner.AotQuarkusEntryPoint";

  private final Path jar;
  private final Path cache;
  private final Path training;

  private final FileTime packaged;

  private AotCache(Path jar, Path directory) {
    this.jar = jar;
    this.cache = directory.resolve("app.aot");
    this.training = directory.resolve("app.aot.training");
    this.packaged = modified(jar);
  }

  /** The cache of the service packaged at {@code jar}, where {@code ./run} keeps it. */
  public static AotCache beside(Path jar) {
    return new AotCache(jar, jar.getParent());
  }

  /** A cache of the service packaged at {@code jar}, kept in {@code directory}. */
  public static AotCache in(Path jar, Path directory) {
    return new AotCache(jar, directory);
  }

  /** What this launcher's JVM does with it: the services run on the same JVM. */
  public static int jdk() {
    return Runtime.version().feature();
  }

  /**
   * The flags for a service JVM of feature version {@code jdk}: the cache when it is current; else,
   * where {@code mayTrain} (one replica per service, so one writer), a training run; else none.
   */
  public List<String> flags(int jdk, boolean mayTrain) {
    if (jdk < FIRST_JDK || !aotJar()) {
      return List.of();
    }
    if (current()) {
      return List.of("-XX:AOTCache=" + cache);
    }
    return mayTrain ? List.of("-XX:AOTCacheOutput=" + training) : List.of();
  }

  /** Whether flags of {@code jdk} train a cache (the service then takes longer to stop). */
  public boolean trains(int jdk) {
    return jdk >= FIRST_JDK && aotJar() && !current();
  }

  /** Whether the jar was packaged as {@code aot-jar}: Quarkus names its own entry point then. */
  public boolean aotJar() {
    try (JarFile file = new JarFile(jar.toFile())) {
      var manifest = file.getManifest();
      return manifest != null
          && AOT_ENTRY_POINT.equals(manifest.getMainAttributes().getValue("Main-Class"));
    } catch (IOException e) {
      return false;
    }
  }

  /** Whether a cache exists that was made from this build of the service. */
  public boolean current() {
    try {
      return Files.isRegularFile(cache)
          && Files.getLastModifiedTime(cache).compareTo(Files.getLastModifiedTime(jar)) >= 0;
    } catch (IOException e) {
      return false;
    }
  }

  /** After a training JVM has exited: the cache it wrote becomes the one used. */
  public boolean adopt() throws IOException {
    // A build while the service ran replaced the jar it trained on: the JVM would refuse the cache.
    if (!Files.isRegularFile(training)
        || Files.size(training) == 0
        || !packaged.equals(modified(jar))) {
      return false;
    }
    Files.move(
        training, cache, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    return true;
  }

  /** Removes what a training run left that is not to be used (the file, the JVM's own leftover). */
  public void discard() throws IOException {
    Files.deleteIfExists(training);
    Files.deleteIfExists(training.resolveSibling(training.getFileName() + ".config"));
  }

  private static FileTime modified(Path file) {
    try {
      return Files.getLastModifiedTime(file);
    } catch (IOException e) {
      return FileTime.fromMillis(0);
    }
  }

  /** Where the cache lives, for messages. */
  public Path path() {
    return cache;
  }
}
