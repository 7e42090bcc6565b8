package dev.souq.order;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every class that writes to the outbox wakes the relay after its commit: no trigger does it any
 * more (V9), and a writer that forgot would have its messages wait for the poll, which only the
 * outbox tests' profile (an hour) would notice, and only for the writes they make. Read from the
 * sources, like PackageLayersTest.
 */
class OutboxWritersTest {
  private static final String WRITE = "INSERT INTO orders.outbox";
  private static final String WAKE = ".invoke(relay::committed)";

  @Test
  void everyClassThatWritesToTheOutboxWakesTheRelay() throws IOException {
    List<Path> writers;
    try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
      writers =
          files
              .filter(f -> f.toString().endsWith(".java"))
              .filter(f -> read(f).contains(WRITE))
              .toList();
    }
    List<String> names =
        writers.stream().map(f -> f.getFileName().toString().replace(".java", "")).toList();
    assertTrue(
        names.containsAll(
            List.of("JobFateWriter", "OrderWriter", "StatusWriter", "StockReconciler")),
        "the scan finds the writers there are: " + names);
    for (Path writer : writers) {
      assertTrue(
          read(writer).contains(WAKE), writer + " writes to the outbox and never wakes the relay");
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
