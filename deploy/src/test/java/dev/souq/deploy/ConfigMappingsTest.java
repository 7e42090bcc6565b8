package dev.souq.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A Bean Validation constraint on any {@code @ConfigMapping} makes Quarkus build a second Hibernate
 * Validator factory at every start (~0.7 s of catalog-service's): the settings' ranges are checked
 * by their converters instead (shared {@code BoundedInt}).
 */
class ConfigMappingsTest {
  @Test
  void noConfigMappingCarriesABeanValidationConstraint() throws IOException {
    List<Path> mappings;
    try (Stream<Path> files = Files.walk(Manifests.HOME)) {
      mappings =
          files
              .filter(f -> f.toString().endsWith(".java"))
              .filter(f -> f.toString().contains("/src/main/java/"))
              .filter(f -> read(f).contains("@ConfigMapping("))
              .toList();
    }
    assertTrue(mappings.size() >= 5, "the services' and shared's mappings: " + mappings);
    List<Path> constrained =
        mappings.stream().filter(f -> read(f).contains("jakarta.validation")).toList();
    assertEquals(List.of(), constrained, "use @WithConverter(a BoundedInt) for a range");
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
