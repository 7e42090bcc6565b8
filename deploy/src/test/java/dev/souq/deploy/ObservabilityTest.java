package dev.souq.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.souq.deploy.Observability.Family;
import dev.souq.deploy.Observability.Query;
import dev.souq.deploy.Observability.Selector;
import dev.souq.devstack.Component;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The dashboards and alerts read only what the services expose (exposed-metrics.txt, which
 * ExposedMetricsIT holds true against the running services), and ship as the README says.
 */
class ObservabilityTest {
  /** Series Prometheus makes itself for every target. */
  private static final Set<String> PROMETHEUS_OWN = Set.of("up");

  private final List<Family> families = Observability.families();

  @Test
  void everyMetricTheDashboardsAndAlertsReadIsOneAServiceExposes() {
    List<Query> queries = Observability.queries();
    assertTrue(queries.size() > 50, "queries found: " + queries.size());
    for (Query query : queries) {
      List<Selector> selectors = Observability.selectors(query.expr());
      assertFalse(selectors.isEmpty(), query.where() + " reads no metric: " + query.expr());
      Set<String> known = new HashSet<>(Observability.TARGET_LABELS);
      for (Selector selector : selectors) {
        Set<String> labels = labels(selector.metric());
        assertFalse(
            labels == null,
            query.where() + " reads " + selector.metric() + ", which no service exposes");
        known.addAll(labels);
        assertTrue(
            known.containsAll(selector.labels()),
            query.where() + " matches " + selector.metric() + " on " + selector.labels());
      }
      assertTrue(
          known.containsAll(Observability.groupingLabels(query.expr())),
          query.where() + " groups by a label its metrics lack: " + query.expr());
    }
  }

  @Test
  void everyFamilyTheSnapshotListsIsReadAndBelongsToAService() {
    Set<String> services =
        Stream.of(Component.values()).map(Component::module).collect(Collectors.toSet());
    assertEquals(
        services, families.stream().map(Family::service).collect(Collectors.toSet()), "sections");
    Set<String> read = new HashSet<>();
    for (Query query : Observability.queries()) {
      Observability.selectors(query.expr()).forEach(selector -> read.add(selector.metric()));
    }
    for (Family family : families) {
      assertTrue(
          read.stream().anyMatch(family::names),
          family.name() + " is listed but no dashboard or alert reads it");
    }
  }

  @Test
  void theQueryReaderFindsMetricsButNotFunctionsLabelsOrVariables() {
    String expr =
        "histogram_quantile(0.99, sum by (namespace, le) (rate(souq_outbox_lag_seconds_bucket"
            + "{namespace=~\"$namespace\", service!=\"x\"}[$__rate_interval]))) > 5 and on (pod)"
            + " changes(up[15m] offset 1h) >= 4 or sum(rate(http_server_requests_seconds_count"
            + "{uri=~\"/sse/.*|rate(x)\"}[5m])) by (service) > 1e3";
    assertEquals(
        List.of(
            new Selector("souq_outbox_lag_seconds_bucket", Set.of("namespace", "service")),
            new Selector("up", Set.of()),
            new Selector("http_server_requests_seconds_count", Set.of("uri"))),
        Observability.selectors(expr));
    assertEquals(Set.of("namespace", "le", "pod", "service"), Observability.groupingLabels(expr));
    String variable = "label_values(souq_tasks_queue_depth{namespace=~\"$namespace\"}, queue)";
    assertEquals(
        List.of(new Selector("souq_tasks_queue_depth", Set.of("namespace"))),
        Observability.selectors(variable));
    assertEquals(Set.of("queue"), Observability.groupingLabels(variable));
  }

  @Test
  void dashboardsTakeTheirPrometheusFromAVariableAndFilterByNamespace() {
    Set<String> uids = new HashSet<>();
    for (Path file : Observability.dashboardFiles()) {
      JsonNode dashboard = Observability.json(file);
      String name = file.getFileName().toString();
      assertTrue(uids.add(dashboard.path("uid").asText()), name + ": uid taken");
      assertEquals(name, dashboard.path("uid").asText() + ".json");
      assertTrue(dashboard.path("title").asText().startsWith("Souq / "), name);
      JsonNode variables = dashboard.at("/templating/list");
      assertEquals("datasource", variables.path(0).path("name").asText(), name);
      assertEquals("datasource", variables.path(0).path("type").asText(), name);
      assertEquals("prometheus", variables.path(0).path("query").asText(), name);
      assertEquals("namespace", variables.path(1).path("name").asText(), name);
      for (JsonNode variable : variables) {
        if (variable.has("datasource")) {
          assertEquals("${datasource}", variable.at("/datasource/uid").asText(), name);
        }
      }
      Set<Integer> ids = new HashSet<>();
      for (JsonNode panel : dashboard.path("panels")) {
        String where = name + " \"" + panel.path("title").asText() + "\"";
        assertTrue(ids.add(panel.path("id").asInt()), where + ": id taken");
        assertTrue(panel.path("gridPos").has("w"), where + " has no place");
        if ("row".equals(panel.path("type").asText())) {
          continue;
        }
        assertEquals("${datasource}", panel.at("/datasource/uid").asText(), where);
        assertFalse(panel.path("targets").isEmpty(), where + " has no query");
        for (JsonNode target : panel.path("targets")) {
          assertEquals("${datasource}", target.at("/datasource/uid").asText(), where);
          for (Selector selector : Observability.selectors(target.path("expr").asText())) {
            assertTrue(
                selector.labels().contains("namespace"),
                where + " reads " + selector.metric() + " of every namespace");
          }
        }
      }
    }
    assertFalse(uids.isEmpty(), "no dashboard");
  }

  @Test
  void thePrometheusRuleHoldsTheSameAlertsAsThePlainRulesFile() {
    JsonNode plain = Observability.yaml("alerts.rules.yml");
    JsonNode operator = Observability.yaml("prometheus-rule.yaml");
    assertEquals("monitoring.coreos.com/v1", operator.path("apiVersion").asText());
    assertEquals("PrometheusRule", operator.path("kind").asText());
    assertEquals(plain.path("groups"), operator.at("/spec/groups"), "regenerate it (its header)");
  }

  @Test
  void everyAlertSaysHowBadWhatAndWhatToDoAndTheReadmeExplainsIt() throws IOException {
    String readme = Files.readString(Manifests.HOME.resolve("deploy/README.md"));
    int section = readme.indexOf("## Dashboards and alerts");
    assertTrue(section >= 0, "deploy/README.md has no section Dashboards and alerts");
    int end = readme.indexOf("\n## ", section + 1);
    String explained = readme.substring(section, end < 0 ? readme.length() : end);
    Set<String> names = new HashSet<>();
    for (JsonNode rule :
        Observability.rules(Observability.yaml("alerts.rules.yml").path("groups"))) {
      String alert = rule.path("alert").asText();
      assertTrue(alert.matches("Souq[A-Z]\\w+") && names.add(alert), "alert name " + alert);
      assertTrue(
          Set.of("critical", "warning").contains(rule.at("/labels/severity").asText()), alert);
      assertFalse(rule.at("/annotations/summary").asText().isBlank(), alert + " has no summary");
      assertTrue(rule.at("/annotations/runbook").asText().length() > 80, alert + ": runbook");
      assertTrue(
          explained.contains("`" + alert + "`"), "deploy/README.md does not explain " + alert);
    }
    assertTrue(names.size() >= 7, "alerts: " + names);
  }

  @Test
  void thePodMonitorLabelsEachPodsSeriesWithItsServiceAndNamespace() {
    JsonNode monitor = Observability.yaml("podmonitor.yaml");
    JsonNode endpoint = monitor.at("/spec/podMetricsEndpoints/0");
    assertEquals("management", endpoint.path("port").asText());
    assertEquals("/q/metrics", endpoint.path("path").asText());
    Set<String> relabelled = new TreeSet<>();
    for (JsonNode relabel : endpoint.path("relabelings")) {
      relabelled.add(
          relabel.path("sourceLabels").path(0).asText()
              + " -> "
              + relabel.path("targetLabel").asText());
    }
    assertEquals(
        Set.of(
            "__meta_kubernetes_namespace -> namespace",
            "__meta_kubernetes_pod_label_app_kubernetes_io_name -> service"),
        relabelled);
    JsonNode selector = monitor.at("/spec/selector/matchLabels");
    Manifests base = Manifests.render("base");
    for (Component component : Component.values()) {
      JsonNode pod = base.deployment(component).at("/spec/template/metadata/labels");
      selector
          .fields()
          .forEachRemaining(
              label ->
                  assertEquals(label.getValue(), pod.path(label.getKey()), component.module()));
      assertEquals(component.module(), pod.path("app.kubernetes.io/name").asText());
    }
  }

  @Test
  void theComponentAddsTheRulesTheScrapeAndEveryDashboardAsAConfigMap() throws IOException {
    JsonNode component = Observability.yaml("kustomization.yaml");
    assertEquals("Component", component.path("kind").asText());
    List<String> resources = new ArrayList<>();
    component.path("resources").forEach(r -> resources.add(r.asText()));
    assertEquals(List.of("prometheus-rule.yaml", "podmonitor.yaml"), resources);
    Set<String> generated = new TreeSet<>();
    for (JsonNode map : component.path("configMapGenerator")) {
      map.path("files").forEach(file -> generated.add(file.asText()));
      assertEquals("1", map.at("/options/labels/grafana_dashboard").asText(), map.toString());
      assertTrue(map.at("/options/disableNameSuffixHash").asBoolean(), map.toString());
    }
    Set<String> dashboards = new TreeSet<>();
    Observability.dashboardFiles().forEach(f -> dashboards.add("dashboards/" + f.getFileName()));
    assertEquals(dashboards, generated);

    assumeTrue(Manifests.kubectlAvailable(), "kubectl is not installed: not rendered");
    Path overlay = Manifests.HOME.resolve("deploy/target/overlay-with-observability");
    Files.createDirectories(overlay);
    Files.writeString(
        overlay.resolve("kustomization.yaml"),
        "resources: [../../kubernetes/overlays/local]\ncomponents: [../../observability]\n");
    Manifests rendered = Manifests.render("../target/overlay-with-observability");
    assertTrue(rendered.find("PrometheusRule", "souq").isPresent());
    assertTrue(rendered.find("PodMonitor", "souq").isPresent());
    assertTrue(rendered.find("Deployment", "catalog-service").isPresent(), "the overlay is lost");
    Set<String> shipped = new TreeSet<>();
    for (JsonNode map : rendered.ofKind("ConfigMap")) {
      if ("1".equals(map.at("/metadata/labels/grafana_dashboard").asText())) {
        map.path("data")
            .fields()
            .forEachRemaining(
                file -> {
                  Path source = Observability.DIR.resolve("dashboards").resolve(file.getKey());
                  assertEquals(
                      Observability.json(source), Observability.json(file.getValue().asText()));
                  shipped.add("dashboards/" + file.getKey());
                });
      }
    }
    assertEquals(dashboards, shipped);
  }

  /** The labels of the families named {@code metric}, or null if no service exposes it. */
  private Set<String> labels(String metric) {
    if (PROMETHEUS_OWN.contains(metric)) {
      return Set.of();
    }
    Set<String> labels = null;
    for (Family family : families) {
      if (family.names(metric)) {
        labels = labels == null ? new HashSet<>() : labels;
        labels.addAll(family.labels());
        if (metric.endsWith("_bucket")) {
          labels.add("le");
        }
      }
    }
    return labels;
  }
}
