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

/** When ./run uses a service's AOT cache, trains one, or leaves the JVM alone. */
class AotCacheTest {
  @TempDir Path app;

  @Test
  void beforeJdk25ThereIsNoCacheToUseOrTrain() throws IOException {
    AotCache aot = AotCache.beside(jar(Instant.now()));
    assertEquals(List.of(), aot.flags(17, true));
    assertEquals(List.of(), aot.flags(24, true));
    assertFalse(aot.trains(21));
  }

  @Test
  void aFastJarKeepsItsClassesInQuarkusOwnLoaderSoItGetsNoCache() throws IOException {
    AotCache aot =
        AotCache.beside(jar(Instant.now(), "io.quarkus.bootstrap.runner.QuarkusEntryPoint"));
    assertFalse(aot.aotJar());
    assertEquals(List.of(), aot.flags(25, true));
    assertFalse(aot.trains(25));
  }

  @Test
  void withoutACacheOneReplicaTrainsIntoAFileOfItsOwnAndTheOthersRunPlain() throws IOException {
    AotCache aot = AotCache.beside(jar(Instant.now()));
    assertTrue(aot.trains(25));
    assertEquals(
        List.of("-XX:AOTCacheOutput=" + app.resolve("app.aot.training")), aot.flags(25, true));
    assertEquals(List.of(), aot.flags(25, false));
  }

  @Test
  void aWrittenCacheIsPutInPlaceAndUsedByEveryReplica() throws IOException {
    AotCache aot = AotCache.beside(jar(Instant.now().minusSeconds(60)));
    assertFalse(aot.adopt(), "nothing was written");
    Files.write(app.resolve("app.aot.training"), new byte[0]);
    assertFalse(aot.adopt(), "an empty file is no cache");
    Files.write(app.resolve("app.aot.training"), new byte[] {1, 2, 3});
    assertTrue(aot.adopt());
    assertFalse(Files.exists(app.resolve("app.aot.training")));
    assertTrue(aot.current());
    List<String> use = List.of("-XX:AOTCache=" + app.resolve("app.aot"));
    assertEquals(use, aot.flags(25, true));
    assertEquals(use, aot.flags(26, false));
    assertFalse(aot.trains(25));
  }

  @Test
  void aCacheTrainedOnAJarRebuiltMeanwhileIsThrownAway() throws IOException {
    Path jar = jar(Instant.now().minusSeconds(60));
    AotCache aot = AotCache.beside(jar);
    Files.write(app.resolve("app.aot.training"), new byte[] {1, 2, 3});
    Files.setLastModifiedTime(jar, FileTime.from(Instant.now())); // ./mvnw package while it ran
    assertFalse(aot.adopt(), "the JVM would refuse a cache of other jars");
    aot.discard();
    assertFalse(Files.exists(app.resolve("app.aot.training")));
    assertFalse(aot.current());
  }

  @Test
  void aCacheOlderThanTheJarIsTrainedAgain() throws IOException {
    Path jar = jar(Instant.now());
    Files.write(app.resolve("app.aot"), new byte[] {1});
    Files.setLastModifiedTime(
        app.resolve("app.aot"), FileTime.from(Instant.now().minusSeconds(60)));
    AotCache aot = AotCache.beside(jar);
    assertFalse(aot.current(), "the service was rebuilt after the cache was made");
    assertTrue(aot.trains(25));
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
