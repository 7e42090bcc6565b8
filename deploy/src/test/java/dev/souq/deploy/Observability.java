package dev.souq.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * deploy/observability as the tests read it: the dashboards, both rule files, the snapshot of what
 * the services expose (exposed-metrics.txt), and what each PromQL query reads.
 */
final class Observability {
  static final Path DIR = Manifests.HOME.resolve("deploy/observability");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final YAMLMapper YAML = new YAMLMapper();

  /** Labels the scrape adds to every series (podmonitor.yaml), not the services. */
  static final Set<String> TARGET_LABELS = Set.of("namespace", "service", "pod", "instance", "job");

  private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"");
  private static final Pattern RANGE = Pattern.compile("\\[[^\\]]*\\]");
  private static final Pattern GROUPING =
      Pattern.compile("\\b(?:by|without|on|ignoring|group_left|group_right)\\s*\\(([^)]*)\\)");
  private static final Pattern LABEL_VALUES =
      Pattern.compile("^\\s*label_values\\((.*),\\s*(\\w+)\\s*\\)\\s*$", Pattern.DOTALL);
  private static final Pattern IDENTIFIER =
      Pattern.compile("(?<![\\w.:$])([A-Za-z_:][\\w:]*)\\s*(\\{[^}]*\\})?(\\s*\\()?");
  private static final Pattern MATCHER = Pattern.compile("(\\w+)\\s*(?:=~|!~|!=|=)");
  private static final Set<String> KEYWORDS =
      Set.of(
          "and",
          "or",
          "unless",
          "by",
          "without",
          "on",
          "ignoring",
          "group_left",
          "group_right",
          "offset",
          "bool",
          "inf",
          "nan");

  /** A metric family a service exposes: counter, gauge, summary (a timer) or histogram. */
  record Family(String service, String name, String type, Set<String> labels) {
    /** Whether {@code metric} is one of this family's series names. */
    boolean names(String metric) {
      List<String> suffixes =
          switch (type) {
            case "counter", "gauge" -> List.of("");
            case "summary" -> List.of("_count", "_sum", "_max");
            case "histogram" -> List.of("_count", "_sum", "_max", "_bucket");
            default -> throw new AssertionError(name + ": unknown type " + type);
          };
      return suffixes.stream().anyMatch(suffix -> metric.equals(name + suffix));
    }
  }

  /** A metric a query reads and the labels it matches on. */
  record Selector(String metric, Set<String> labels) {}

  /** A PromQL query (or a Grafana label_values query) and where it is. */
  record Query(String where, String expr) {}

  static List<Family> families() {
    List<Family> families = new ArrayList<>();
    String service = null;
    for (String line : read("exposed-metrics.txt").lines().map(String::strip).toList()) {
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      if (line.startsWith("[")) {
        service = line.substring(1, line.length() - 1);
        continue;
      }
      String[] words = line.split("\\s+");
      Set<String> labels = new LinkedHashSet<>(List.of(words).subList(2, words.length));
      families.add(new Family(service, words[0], words[1], labels));
    }
    return families;
  }

  static List<Path> dashboardFiles() {
    try (Stream<Path> files = Files.list(DIR.resolve("dashboards"))) {
      return files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonNode json(Path file) {
    try {
      return JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonNode json(String text) {
    try {
      return JSON.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonNode yaml(String file) {
    try {
      return YAML.readTree(DIR.resolve(file).toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String read(String file) {
    try {
      return Files.readString(DIR.resolve(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every rule of a rules file's groups. */
  static List<JsonNode> rules(JsonNode groups) {
    List<JsonNode> rules = new ArrayList<>();
    groups.forEach(group -> group.path("rules").forEach(rules::add));
    return rules;
  }

  /** Every query of the dashboards (panels and variables) and of both rule files. */
  static List<Query> queries() {
    List<Query> queries = new ArrayList<>();
    for (Path file : dashboardFiles()) {
      JsonNode dashboard = json(file);
      for (JsonNode panel : dashboard.path("panels")) {
        for (JsonNode target : panel.path("targets")) {
          String where = file.getFileName() + " \"" + panel.path("title").asText() + "\"";
          queries.add(new Query(where, target.path("expr").asText()));
        }
      }
      for (JsonNode variable : dashboard.at("/templating/list")) {
        if ("query".equals(variable.path("type").asText())) {
          String where = file.getFileName() + " $" + variable.path("name").asText();
          queries.add(new Query(where, variable.at("/query/query").asText()));
          queries.add(new Query(where, variable.path("definition").asText()));
        }
      }
    }
    for (JsonNode rule : rules(yaml("alerts.rules.yml").path("groups"))) {
      queries.add(new Query("alerts.rules.yml " + rule.path("alert"), rule.path("expr").asText()));
    }
    for (JsonNode rule : rules(yaml("prometheus-rule.yaml").at("/spec/groups"))) {
      String where = "prometheus-rule.yaml " + rule.path("alert");
      queries.add(new Query(where, rule.path("expr").asText()));
    }
    return queries;
  }

  /** The metrics a query reads, with the labels each is matched on; not functions or keywords. */
  static List<Selector> selectors(String expr) {
    String bare = bare(expr);
    Matcher values = LABEL_VALUES.matcher(bare);
    if (values.matches()) {
      bare = values.group(1);
    }
    List<Selector> selectors = new ArrayList<>();
    Matcher identifier = IDENTIFIER.matcher(bare);
    while (identifier.find()) {
      String name = identifier.group(1);
      if (identifier.group(3) != null || KEYWORDS.contains(name.toLowerCase(Locale.ROOT))) {
        continue;
      }
      Set<String> labels = new LinkedHashSet<>();
      if (identifier.group(2) != null) {
        MATCHER.matcher(identifier.group(2)).results().forEach(m -> labels.add(m.group(1)));
      }
      selectors.add(new Selector(name, labels));
    }
    return selectors;
  }

  /** The labels a query groups, joins or lists by (by, on, …; label_values' second argument). */
  static Set<String> groupingLabels(String expr) {
    Set<String> labels = new LinkedHashSet<>();
    Matcher grouping = GROUPING.matcher(STRING.matcher(expr).replaceAll("\"\""));
    while (grouping.find()) {
      for (String label : grouping.group(1).split(",")) {
        if (!label.isBlank()) {
          labels.add(label.strip());
        }
      }
    }
    Matcher values = LABEL_VALUES.matcher(expr);
    if (values.matches()) {
      labels.add(values.group(2));
    }
    return labels;
  }

  /** The query without string contents, ranges and grouping clauses: names and selectors left. */
  private static String bare(String expr) {
    String bare = STRING.matcher(expr).replaceAll("\"\"");
    bare = RANGE.matcher(bare).replaceAll(" ");
    return GROUPING.matcher(bare).replaceAll(" ");
  }

  private Observability() {}
}
