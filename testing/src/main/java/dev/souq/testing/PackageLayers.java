package dev.souq.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Checks that a module's packages form layers: each package uses (imports or names in full) only
 * packages listed below it, so the graph has no cycle and reads top-down. Read from the sources, so
 * a test fails on the commit that adds a wrong-way edge.
 */
public final class PackageLayers {
  private PackageLayers() {}

  /**
   * Asserts that the packages under {@code root} (e.g. {@code dev.souq.worker}) in {@code sources}
   * are exactly {@code topToBottom} ("" for the root package itself) and that each one uses only
   * those after it.
   */
  public static void assertLayers(Path sources, String root, List<String> topToBottom) {
    Map<String, Map<String, String>> edges = edges(sources, root);
    assertEquals(
        new TreeSet<>(topToBottom),
        new TreeSet<>(edges.keySet()),
        "the packages of " + root + " and the layers listed for them");
    List<String> wrong = new ArrayList<>();
    edges.forEach(
        (from, uses) ->
            uses.forEach(
                (to, file) -> {
                  if (topToBottom.indexOf(to) <= topToBottom.indexOf(from)) {
                    wrong.add(name(from) + " uses " + name(to) + " (" + file + ")");
                  }
                }));
    assertTrue(wrong.isEmpty(), "upward or sideways uses in " + root + ": " + wrong);
  }

  /** Package → the packages of the same root it uses → a file that does. */
  private static Map<String, Map<String, String>> edges(Path sources, String root) {
    Path base = sources.resolve(root.replace('.', '/'));
    Pattern use = Pattern.compile(Pattern.quote(root) + "(?:\\.([a-z][a-z0-9_]*))?\\.[A-Z]");
    Map<String, Map<String, String>> edges = new TreeMap<>();
    try (Stream<Path> files = Files.walk(base)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        String from = base.relativize(file.getParent()).toString().replace('/', '.');
        Map<String, String> uses = edges.computeIfAbsent(from, p -> new TreeMap<>());
        Matcher m = use.matcher(Files.readString(file));
        while (m.find()) {
          String to = m.group(1) == null ? "" : m.group(1);
          if (!to.equals(from)) {
            uses.putIfAbsent(to, file.getFileName().toString());
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return edges;
  }

  private static String name(String layer) {
    return layer.isEmpty() ? "(root)" : layer;
  }
}
