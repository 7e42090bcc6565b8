package dev.souq.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What a service's code says about its configuration: its application.properties, the env vars it
 * reads, and every setting it knows (so an env var in a manifest can be checked against it).
 */
final class ServiceSources {
  private static final Pattern ENV_REFERENCE = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)[:}]");
  private static final Pattern CONFIG_PROPERTY =
      Pattern.compile("@ConfigProperty\\(\\s*name\\s*=\\s*\"([^\"]+)\"");
  private static final Pattern MAPPING =
      Pattern.compile("@ConfigMapping\\(prefix = \"([^\"]+)\"\\)");
  private static final Pattern LEAF =
      Pattern.compile("@WithName\\(\"([^\"]+)\"\\)|\\b(\\w+)\\(\\);");
  private static final Pattern ENV_LITERAL = Pattern.compile("\"([A-Z][A-Z0-9]*_[A-Z0-9_]+)\"");

  private final String module;
  private final Properties properties = new Properties();
  private final String propertiesText;

  ServiceSources(String module) {
    this.module = module;
    Path file = Manifests.HOME.resolve(module).resolve("src/main/resources/application.properties");
    try {
      propertiesText = Files.readString(file);
      properties.load(new java.io.StringReader(propertiesText));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  String property(String key) {
    return properties.getProperty(key);
  }

  boolean hasDatabase() {
    return propertiesText.contains("quarkus.datasource");
  }

  /** The service's pom, followed by the service parent's when it inherits from it. */
  String pom() {
    try {
      String own = Files.readString(Manifests.HOME.resolve(module).resolve("pom.xml"));
      if (!own.contains("<artifactId>souq-service-parent</artifactId>")) {
        return own;
      }
      return own + Files.readString(Manifests.HOME.resolve("service-parent/pom.xml"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Env vars application.properties takes with ${NAME:default}: a deployment must set them. */
  Set<String> referencedEnv() {
    Set<String> names = new HashSet<>();
    Matcher m = ENV_REFERENCE.matcher(propertiesText);
    while (m.find()) {
      names.add(m.group(1));
    }
    return names;
  }

  /** Env var names the shared config source maps (REDIS_URL, DATABASE_URL, …). */
  static Set<String> platformEnv() {
    String source = read(Manifests.HOME.resolve("shared/src/main/java/dev/souq/shared/config"));
    Set<String> names = new HashSet<>();
    Matcher m = ENV_LITERAL.matcher(source);
    while (m.find()) {
      names.add(m.group(1));
    }
    return names;
  }

  /**
   * Every setting this service knows, in env var spelling (souq.admin-token → SOUQ_ADMIN_TOKEN).
   */
  Set<String> knownSettingsAsEnv() {
    Set<String> known = new HashSet<>();
    for (String key : properties.stringPropertyNames()) {
      known.add(env(key.replaceFirst("^%[^.]+\\.", "")));
    }
    for (Path root :
        List.of(
            Manifests.HOME.resolve(module).resolve("src/main/java"),
            Manifests.HOME.resolve("shared/src/main/java"))) {
      String java = read(root);
      Matcher property = CONFIG_PROPERTY.matcher(java);
      while (property.find()) {
        known.add(env(property.group(1)));
      }
      for (String file : java.split("(?=\\npackage )")) {
        Matcher mapping = MAPPING.matcher(file);
        if (!mapping.find()) {
          continue;
        }
        String prefix = mapping.group(1);
        List<String> leaves =
            LEAF.matcher(file)
                .results()
                .map(r -> r.group(1) != null ? r.group(1) : r.group(2))
                .toList();
        for (String leaf : leaves) {
          known.add(env(prefix + "." + leaf));
          for (String group : leaves) {
            known.add(env(prefix + "." + group + "." + leaf));
          }
        }
      }
    }
    return known;
  }

  /** The MicroProfile Config env spelling of a property name. */
  static String env(String property) {
    return property.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(java.util.Locale.ROOT);
  }

  private static String read(Path root) {
    try (Stream<Path> files = Files.walk(root)) {
      StringBuilder all = new StringBuilder();
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        all.append('\n').append(Files.readString(file));
      }
      return all.toString();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
