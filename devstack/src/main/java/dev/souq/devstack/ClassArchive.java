package dev.souq.devstack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.jar.JarFile;

/**
 * A service's class archive beside its {@code quarkus-run.jar}: what its start-up loaded and
 * linked, mapped by the next start instead of done again (README "Start-up" has the figures). An
 * AOT cache ({@code app.aot}, JEPs 483/514/515) on JDK 25+, a dynamic CDS archive ({@code app.jsa},
 * JEP 350) before. Only an {@code aot-jar} keeps its classes on the plain class path an archive can
 * hold.
 *
 * <p>The first run trains it: the JVM writes it as the service stops, into a file of its own that
 * {@link #adopt} then puts in place, so an interrupted write is never used. An archive older than
 * the jar (a rebuild) is trained again.
 */
public final class ClassArchive {
  /** The first JDK whose {@code -XX:AOTCacheOutput} trains and writes an AOT cache in one run. */
  public static final int FIRST_JDK = 25;

  private static final String AOT_ENTRY_POINT = "io.quarkus.bootstrap.runner.AotQuarkusEntryPoint";

  private final Path jar;
  private final boolean aotCache;
  private final Path archive;
  private final Path training;

  private final FileTime packaged;

  private ClassArchive(Path jar, Path directory, int jdk) {
    this.jar = jar;
    this.aotCache = jdk >= FIRST_JDK;
    this.archive = directory.resolve(aotCache ? "app.aot" : "app.jsa");
    this.training = archive.resolveSibling(archive.getFileName() + ".training");
    this.packaged = modified(jar);
  }

  /** The archive for a JVM of feature version {@code jdk}, where {@code ./run} keeps it. */
  public static ClassArchive beside(Path jar, int jdk) {
    return new ClassArchive(jar, jar.getParent(), jdk);
  }

  /** An archive of the service packaged at {@code jar}, kept in {@code directory}. */
  public static ClassArchive in(Path jar, Path directory, int jdk) {
    return new ClassArchive(jar, directory, jdk);
  }

  /** What this launcher's JVM does with it: the services run on the same JVM. */
  public static int jdk() {
    return Runtime.version().feature();
  }

  /**
   * The flags for the service's JVM: the archive when it is current; else, where {@code mayTrain}
   * (one replica per service, so one writer), a training run; else none.
   */
  public List<String> flags(boolean mayTrain) {
    if (!aotJar()) {
      return List.of();
    }
    if (current()) {
      return List.of((aotCache ? "-XX:AOTCache=" : "-XX:SharedArchiveFile=") + archive);
    }
    if (!mayTrain) {
      return List.of();
    }
    if (aotCache) {
      return List.of("-XX:AOTCacheOutput=" + training);
    }
    // The dump warns of every class it leaves out (~90 in the log: some that never linked or
    // failed verification, reflection accessors of the old format), none of them a fault.
    return List.of("-XX:ArchiveClassesAtExit=" + training, "-Xlog:cds=error");
  }

  /** Whether its flags train an archive (the service then takes longer to stop). */
  public boolean trains() {
    return aotJar() && !current();
  }

  /** What the JVM calls it, for messages. */
  public String kind() {
    return aotCache ? "AOT cache" : "CDS archive";
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

  /** Whether an archive exists that was made from this build of the service. */
  public boolean current() {
    try {
      return Files.isRegularFile(archive)
          && Files.getLastModifiedTime(archive).compareTo(Files.getLastModifiedTime(jar)) >= 0;
    } catch (IOException e) {
      return false;
    }
  }

  /** After a training JVM has exited: the archive it wrote becomes the one used. */
  public boolean adopt() throws IOException {
    // A build while the service ran replaced the jar it trained on: the JVM would refuse it.
    if (!Files.isRegularFile(training)
        || Files.size(training) == 0
        || !packaged.equals(modified(jar))) {
      return false;
    }
    Files.move(
        training, archive, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
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

  /** Where the archive lives, for messages. */
  public Path path() {
    return archive;
  }
}
