package dev.souq.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A Bean Validation constraint on any {@code @ConfigMapping} makes Quarkus build a second Hibernate
 * Validator factory at every start (~0.6 s of each service's on JDK 17): the settings' ranges are
 * checked by their converters instead (shared {@code BoundedInt}). A mapping's groups live in its
 * file.
 */
class ConfigMappingsTest {
  /** Where constraint annotations come from: Bean Validation's own and Hibernate Validator's. */
  private static final List<String> CONSTRAINTS =
      List.of("jakarta.validation", "org.hibernate.validator");

  @Test
  void noConfigMappingCarriesABeanValidationConstraint() throws IOException {
    List<Path> mappings = new ArrayList<>();
    try (Stream<Path> modules = Files.list(Manifests.HOME)) {
      for (Path sources : modules.map(m -> m.resolve("src/main/java")).toList()) {
        if (!Files.isDirectory(sources)) {
          continue;
        }
        try (Stream<Path> files = Files.walk(sources)) {
          files
              .filter(f -> f.toString().endsWith(".java"))
              .filter(f -> read(f).contains("@ConfigMapping"))
              .forEach(mappings::add);
        }
      }
    }
    assertTrue(mappings.size() >= 5, "the services' and shared's mappings: " + mappings);
    List<Path> constrained =
        mappings.stream().filter(f -> CONSTRAINTS.stream().anyMatch(read(f)::contains)).toList();
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
