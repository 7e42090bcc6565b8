package dev.souq.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.souq.devstack.ClassArchive;
import dev.souq.devstack.Component;
import dev.souq.devstack.Ports;
import dev.souq.devstack.ServiceProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code ./run} does: a service's first run trains its class archive (an AOT cache on JDK 25+,
 * a dynamic CDS archive before), written when it stops, and the next start loads the service's
 * classes from that archive instead of its jars (which is what takes its start-up from 5 s to 3 on
 * JDK 17, and to about 1.5 on JDK 25). Once on the JDK the tests run on, and once on a JDK 25+
 * where one is installed ({@code SOUQ_AOT_JAVA_HOME}, {@code JAVA_HOME} or {@code /usr/lib/jvm/*}).
 */
@ExtendWith(RunningSouq.class)
class ClassArchiveIT {
  private static final Pattern VERSION = Pattern.compile("(?m)^JAVA_VERSION=\"(\\d+)");
  // The JVM's class+load log names where each class came from ("(top)" for a dynamic archive).
  private static final String FROM_ARCHIVE =
      "dev.souq.catalog.rest.ProductResource source: shared objects file";

  @Test
  void onThisJdkAServiceTrainedOnceLoadsItsClassesFromItsArchive(SouqSystem shop, @TempDir Path dir)
      throws Exception {
    trainAndUse(shop, Path.of(ServiceProcess.thisJava()), ClassArchive.jdk(), dir);
  }

  @Test
  void onJdk25AServiceTrainedOnceLoadsItsClassesFromItsAotCache(SouqSystem shop, @TempDir Path dir)
      throws Exception {
    assumeTrue(ClassArchive.jdk() < ClassArchive.FIRST_JDK, "the test above ran on a JDK 25+");
    Optional<Path> java = javaOf(ClassArchive.FIRST_JDK);
    assumeTrue(java.isPresent(), "no JDK " + ClassArchive.FIRST_JDK + "+ installed here");
    trainAndUse(shop, java.get(), ClassArchive.FIRST_JDK, dir);
  }

  private static void trainAndUse(SouqSystem shop, Path java, int jdk, Path dir) throws Exception {
    Path jar = shop.jar(Component.CATALOG);
    ClassArchive archive = ClassArchive.in(jar, dir, jdk);
    assertTrue(archive.aotJar(), "catalog-service is packaged as aot-jar (the root pom's profile)");

    ServiceProcess training = start(shop, java, jar, archive.flags(true));
    training.awaitReady(Duration.ofSeconds(90));
    assertTrue(training.stop(Duration.ofSeconds(120)), "the training run stopped by itself");
    assertTrue(archive.adopt(), "the training run wrote its " + archive.kind());
    assertTrue(archive.current());

    List<String> flags = new ArrayList<>(archive.flags(false));
    flags.add("-Xlog:class+load=info");
    ServiceProcess archived = start(shop, java, jar, flags);
    try {
      archived.awaitReady(Duration.ofSeconds(90));
      String log = archived.logged();
      assertTrue(log.contains(FROM_ARCHIVE), "catalog's classes came from its jars:\n" + tail(log));
    } finally {
      archived.stop(Duration.ofSeconds(20));
    }
  }

  private static ServiceProcess start(SouqSystem shop, Path java, Path jar, List<String> flags)
      throws IOException {
    int port = Ports.free();
    return ServiceProcess.start(
        java.toString(),
        Component.CATALOG,
        jar,
        port,
        shop.serviceEnv(),
        shop.logFile("catalog-archive-" + port + ".log"),
        flags);
  }

  /** The java binary of an installed JDK of {@code feature} or later, if there is one. */
  private static Optional<Path> javaOf(int feature) throws IOException {
    List<Path> homes = new ArrayList<>();
    for (String variable : new String[] {"SOUQ_AOT_JAVA_HOME", "JAVA_HOME"}) {
      Optional.ofNullable(System.getenv(variable)).map(Path::of).ifPresent(homes::add);
    }
    Path jvms = Path.of("/usr/lib/jvm");
    if (Files.isDirectory(jvms)) {
      try (Stream<Path> installed = Files.list(jvms)) {
        installed.sorted().forEach(homes::add);
      }
    }
    for (Path home : homes) {
      Path release = home.resolve("release");
      Path java = home.resolve("bin/java");
      if (Files.isRegularFile(release) && Files.isExecutable(java)) {
        Matcher m = VERSION.matcher(Files.readString(release));
        if (m.find() && Integer.parseInt(m.group(1)) >= feature) {
          return Optional.of(java);
        }
      }
    }
    return Optional.empty();
  }

  private static String tail(String log) {
    return log.length() <= 4000 ? log : log.substring(log.length() - 4000);
  }
}
