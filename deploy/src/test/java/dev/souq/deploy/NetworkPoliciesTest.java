package dev.souq.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.souq.devstack.Component;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Who may connect to which port of a pod, read as a CNI reads the NetworkPolicies: every policy
 * that selects the pod counts, and a pod no policy selects is open to all.
 */
class NetworkPoliciesTest {
  private static final String INGRESS_CONTROLLER = "namespace ingress-nginx";
  private static final String MONITORING = "namespace monitoring";
  private static final int MANAGEMENT_PORT = 9000;

  private final Manifests base = Manifests.render("base");

  @Test
  void eachServiceAdmitsTheIngressAndItsCallersOnHttpAndMonitoringOnManagement() {
    Map<String, Set<String>> callers = callers();
    // What the contract says, so that losing a *_URL setting cannot quietly loosen this test:
    // order-service reserves stock and worker-service releases it (CATALOG_URL of both).
    assertEquals(
        Set.of(pods(Component.ORDER), pods(Component.WORKER)),
        callers.get(Component.CATALOG.module()));
    assertEquals(Set.of(pods(Component.WORKER)), callers.get(Component.ORDER.module()));
    for (Component component : Component.values()) {
      JsonNode deployment = base.deployment(component);
      Set<String> http = new TreeSet<>(callers.get(component.module()));
      http.add(INGRESS_CONTROLLER);
      assertEquals(
          Map.of(component.port(), http, MANAGEMENT_PORT, Set.of(MONITORING)),
          admitted(base, deployment),
          component.module());
    }
  }

  @Test
  void everySouqPodIsClosedToWhatNoPolicyAdmits() {
    boolean defaultDeny =
        base.ofKind("NetworkPolicy").stream()
            .anyMatch(
                policy ->
                    policy
                            .at("/spec/podSelector")
                            .toString()
                            .equals("{\"matchLabels\":{\"app.kubernetes.io/part-of\":\"souq\"}}")
                        && policy.at("/spec/policyTypes").toString().contains("Ingress")
                        && policy.at("/spec/ingress").isEmpty());
    assertTrue(defaultDeny, "no default-deny policy for app.kubernetes.io/part-of: souq");
    for (Component component : Component.values()) {
      assertEquals(
          "souq",
          base.deployment(component)
              .at("/spec/template/metadata/labels/app.kubernetes.io~1part-of")
              .asText(),
          component.module() + " pods escape the default deny");
    }
  }

  @Test
  void onlyTheServicesThatUseThemMayReachRedisAndPostgresql() {
    Map<String, String> clientLabel =
        Map.of("REDIS_URL", "souq.dev/redis-client", "DATABASE_URL", "souq.dev/database-client");
    for (JsonNode policy : base.ofKind("NetworkPolicy")) {
      if (policy.at("/spec/podSelector/matchLabels/app.kubernetes.io~1component").isMissingNode()) {
        continue;
      }
      String label =
          policy.at("/spec/ingress/0/from/0/podSelector/matchLabels").fieldNames().next();
      assertTrue(clientLabel.containsValue(label), label);
    }
    for (Component component : Component.values()) {
      JsonNode deployment = base.deployment(component);
      String env = Manifests.container(deployment).path("env").toString();
      JsonNode labels = deployment.at("/spec/template/metadata/labels");
      clientLabel.forEach(
          (variable, label) ->
              assertEquals(
                  env.contains("\"" + variable + "\""),
                  "true".equals(labels.path(label).asText()),
                  component.module() + " " + label));
    }
  }

  @Test
  void theLocalRedisAndPostgresqlAdmitTheirClientsOnly() {
    assumeTrue(
        Manifests.kubectlAvailable(),
        "kubectl is not installed: overlays are not rendered, base only is checked");
    Manifests local = Manifests.render("overlays/local");
    assertEquals(
        Map.of(6379, Set.of("pods souq.dev/redis-client=true")),
        admitted(local, local.find("StatefulSet", "redis").orElseThrow()));
    assertEquals(
        Map.of(5432, Set.of("pods souq.dev/database-client=true")),
        admitted(local, local.find("StatefulSet", "postgresql").orElseThrow()));
  }

  /** Service name → the pods that call it, from the *_URL settings each takes from souq-config. */
  private Map<String, Set<String>> callers() {
    JsonNode config = base.find("ConfigMap", "souq-config").orElseThrow().path("data");
    Map<String, Set<String>> callers = new HashMap<>();
    for (Component component : Component.values()) {
      callers.put(component.module(), new TreeSet<>());
    }
    for (Component component : Component.values()) {
      for (JsonNode env : Manifests.container(base.deployment(component)).path("env")) {
        String key = env.at("/valueFrom/configMapKeyRef/key").asText();
        if (key.endsWith("_URL")) {
          String callee = URI.create(config.path(key).asText()).getHost();
          callers.get(callee).add(pods(component));
        }
      }
    }
    return callers;
  }

  /**
   * Port → who may connect to it, over every policy that selects the workload's pods. A peer the
   * test does not name plainly (an ipBlock, an empty selector, a matchExpression) shows as its
   * JSON, and a rule without ports as port -1, so anything broader fails the comparison.
   */
  private static Map<Integer, Set<String>> admitted(Manifests manifests, JsonNode workload) {
    JsonNode labels = workload.at("/spec/template/metadata/labels");
    JsonNode container = Manifests.container(workload);
    Map<Integer, Set<String>> admitted = new TreeMap<>();
    boolean isolated = false;
    for (JsonNode policy : manifests.ofKind("NetworkPolicy")) {
      JsonNode types = policy.at("/spec/policyTypes");
      if (!selects(policy.at("/spec/podSelector"), labels)
          || (!types.isMissingNode() && !types.toString().contains("\"Ingress\""))) {
        continue;
      }
      isolated = true;
      for (JsonNode rule : policy.at("/spec/ingress")) {
        Set<String> peers = new TreeSet<>();
        rule.path("from").forEach(peer -> peers.add(peer(peer)));
        if (peers.isEmpty()) {
          peers.add("anyone");
        }
        Set<Integer> ports = new TreeSet<>();
        rule.path("ports").forEach(port -> ports.add(number(port.path("port"), container)));
        if (ports.isEmpty()) {
          ports.add(-1);
        }
        for (int port : ports) {
          admitted.computeIfAbsent(port, p -> new TreeSet<>()).addAll(peers);
        }
      }
    }
    assertTrue(isolated, workload.at("/metadata/name").asText() + " is open to everyone");
    return admitted;
  }

  private static boolean selects(JsonNode selector, JsonNode labels) {
    assertTrue(selector.path("matchExpressions").isMissingNode(), "read matchLabels only");
    for (var label : selector.path("matchLabels").properties()) {
      if (!label.getValue().asText().equals(labels.path(label.getKey()).asText())) {
        return false;
      }
    }
    return true;
  }

  private static String peer(JsonNode peer) {
    JsonNode namespaces = peer.at("/namespaceSelector/matchLabels");
    JsonNode pods = peer.at("/podSelector/matchLabels");
    if (peer.size() == 1 && peer.at("/namespaceSelector").size() == 1 && namespaces.size() == 1) {
      JsonNode name = namespaces.path("kubernetes.io/metadata.name");
      return name.isMissingNode() ? peer.toString() : "namespace " + name.asText();
    }
    if (peer.size() == 1 && peer.at("/podSelector").size() == 1 && pods.size() == 1) {
      var label = pods.properties().iterator().next();
      return "pods " + label.getKey() + "=" + label.getValue().asText();
    }
    return peer.toString();
  }

  /** A policy port as a number; a named one is looked up among the container's ports. */
  private static int number(JsonNode port, JsonNode container) {
    if (port.isMissingNode()) {
      return -1;
    }
    return port.isInt()
        ? port.asInt()
        : Manifests.port(container, port.asText()).path("containerPort").asInt(-1);
  }

  private static String pods(Component component) {
    return "pods app.kubernetes.io/name=" + component.module();
  }
}
