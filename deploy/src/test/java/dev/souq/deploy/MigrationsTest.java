package dev.souq.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.souq.devstack.Component;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A service skips Flyway when the database already holds its {@code souq.database.schema-version}
 * (shared DatabaseMigrations): that must be its newest migration, or a start after a new migration
 * would skip it.
 */
class MigrationsTest {
  private static final Pattern VERSIONED = Pattern.compile("V([0-9]+(?:[._][0-9]+)*)__.+\\.sql");

  @Test
  void eachServiceNamesItsNewestMigrationAsItsSchemaVersion() throws IOException {
    int withDatabase = 0;
    for (Component component : Component.values()) {
      ServiceSources sources = new ServiceSources(component.module());
      Path migrations =
          Manifests.HOME.resolve(component.module()).resolve("src/main/resources/db/migration");
      if (!Files.isDirectory(migrations)) {
        continue;
      }
      withDatabase++;
      assertEquals(
          newest(migrations),
          sources.property("souq.database.schema-version"),
          component.module() + ": souq.database.schema-version in application.properties");
    }
    assertTrue(withDatabase >= 2, "catalog and order have migrations");
  }

  private static String newest(Path directory) throws IOException {
    try (Stream<Path> files = Files.list(directory)) {
      List<List<Long>> versions =
          files
              .map(f -> VERSIONED.matcher(f.getFileName().toString()))
              .filter(Matcher::matches)
              .map(m -> Stream.of(m.group(1).split("[._]")).map(Long::valueOf).toList())
              .toList();
      return versions.stream()
          .max(MigrationsTest::compare)
          .map(v -> String.join(".", v.stream().map(String::valueOf).toList()))
          .orElseThrow();
    }
  }

  private static int compare(List<Long> a, List<Long> b) {
    Comparator<Long> order = Comparator.naturalOrder();
    for (int i = 0; i < Math.max(a.size(), b.size()); i++) {
      int c = order.compare(i < a.size() ? a.get(i) : 0L, i < b.size() ? b.get(i) : 0L);
      if (c != 0) {
        return c;
      }
    }
    return 0;
  }
}
