package dev.souq.devstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * When ./run uses a service's class archive (an AOT cache from JDK 25, a dynamic CDS archive
 * before), trains one, or leaves the JVM alone.
 */
class ClassArchiveTest {
  @TempDir Path app;

  @ParameterizedTest
  @ValueSource(ints = {17, 25})
  void aFastJarKeepsItsClassesInQuarkusOwnLoaderSoItGetsNoArchive(int jdk) throws IOException {
    ClassArchive aot =
        ClassArchive.beside(
            jar(Instant.now(), "io.quarkus.bootstrap.runner.QuarkusEntryPoint"), jdk);
    assertFalse(aot.aotJar());
    assertEquals(List.of(), aot.flags(true));
    assertFalse(aot.trains());
  }

  @Test
  void fromJdk25ItIsAnClassArchiveAndBeforeADynamicCdsArchive() throws IOException {
    Path jar = jar(Instant.now());
    ClassArchive cache = ClassArchive.beside(jar, 25);
    assertEquals(app.resolve("app.aot"), cache.path());
    assertEquals(
        List.of("-XX:AOTCacheOutput=" + app.resolve("app.aot.training")), cache.flags(true));
    ClassArchive archive = ClassArchive.beside(jar, 17);
    assertEquals(app.resolve("app.jsa"), archive.path());
    List<String> training =
        List.of("-XX:ArchiveClassesAtExit=" + app.resolve("app.jsa.training"), "-Xlog:cds=error");
    assertEquals(training, archive.flags(true));
    assertEquals(training, ClassArchive.beside(jar, 24).flags(true));
  }

  @ParameterizedTest
  @ValueSource(ints = {17, 25})
  void withoutAnArchiveOneReplicaTrainsIntoAFileOfItsOwnAndTheOthersRunPlain(int jdk)
      throws IOException {
    ClassArchive aot = ClassArchive.beside(jar(Instant.now()), jdk);
    assertTrue(aot.trains());
    assertTrue(aot.flags(true).get(0).endsWith("=" + aot.path() + ".training"));
    assertEquals(List.of(), aot.flags(false));
  }

  @ParameterizedTest
  @ValueSource(ints = {17, 25})
  void aWrittenArchiveIsPutInPlaceAndUsedByEveryReplica(int jdk) throws IOException {
    ClassArchive aot = ClassArchive.beside(jar(Instant.now().minusSeconds(60)), jdk);
    Path training = training(aot);
    assertFalse(aot.adopt(), "nothing was written");
    Files.write(training, new byte[0]);
    assertFalse(aot.adopt(), "an empty file is no archive");
    Files.write(training, new byte[] {1, 2, 3});
    assertTrue(aot.adopt());
    assertFalse(Files.exists(training));
    assertTrue(aot.current());
    String use = (jdk >= 25 ? "-XX:AOTCache=" : "-XX:SharedArchiveFile=") + aot.path();
    assertEquals(List.of(use), aot.flags(true));
    assertEquals(List.of(use), aot.flags(false));
    assertFalse(aot.trains());
  }

  @Test
  void anArchiveOfOneKindIsNotTheOther() throws IOException {
    Path jar = jar(Instant.now().minusSeconds(60));
    ClassArchive archive = ClassArchive.beside(jar, 17);
    Files.write(training(archive), new byte[] {1, 2, 3});
    assertTrue(archive.adopt());
    ClassArchive cache = ClassArchive.beside(jar, 25);
    assertFalse(cache.current(), "JDK 25 would refuse a CDS archive as its AOT cache");
    assertTrue(cache.trains());
  }

  @ParameterizedTest
  @ValueSource(ints = {17, 25})
  void anArchiveTrainedOnAJarRebuiltMeanwhileIsThrownAway(int jdk) throws IOException {
    Path jar = jar(Instant.now().minusSeconds(60));
    ClassArchive aot = ClassArchive.beside(jar, jdk);
    Files.write(training(aot), new byte[] {1, 2, 3});
    Files.setLastModifiedTime(jar, FileTime.from(Instant.now())); // ./mvnw package while it ran
    assertFalse(aot.adopt(), "the JVM would refuse an archive of other jars");
    aot.discard();
    assertFalse(Files.exists(training(aot)));
    assertFalse(aot.current());
  }

  @ParameterizedTest
  @ValueSource(ints = {17, 25})
  void anArchiveOlderThanTheJarIsTrainedAgain(int jdk) throws IOException {
    Path jar = jar(Instant.now());
    ClassArchive aot = ClassArchive.beside(jar, jdk);
    Files.write(aot.path(), new byte[] {1});
    Files.setLastModifiedTime(aot.path(), FileTime.from(Instant.now().minusSeconds(60)));
    assertFalse(aot.current(), "the service was rebuilt after the archive was made");
    assertTrue(aot.trains());
  }

  private static Path training(ClassArchive aot) {
    return aot.path().resolveSibling(aot.path().getFileName() + ".training");
  }

  private Path jar(Instant modified) throws IOException {
    return jar(modified, "io.quarkus.bootstrap.runner.AotQuarkusEntryPoint");
  }

  /** A quarkus-run.jar as Quarkus writes it: a manifest naming the entry point, nothing else. */
  private Path jar(Instant modified, String mainClass) throws IOException {
    Path jar = app.resolve("quarkus-run.jar");
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, mainClass);
    try (OutputStream out = Files.newOutputStream(jar);
        JarOutputStream ignored = new JarOutputStream(out, manifest)) {
      // the manifest is all ./run reads
    }
    Files.setLastModifiedTime(jar, FileTime.from(modified));
    return jar;
  }
}
