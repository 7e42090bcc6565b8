package dev.souq.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.souq.devstack.Component;
import dev.souq.devstack.Routes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The edge: what the Ingress routes where, that it never reaches /q, and TLS in production. */
class IngressTest {
  private final Manifests base = Manifests.render("base");

  @Test
  void theIngressRoutesExactlyAsTheContract() {
    JsonNode ingress = base.ofKind("Ingress").get(0);
    Map<String, String> routes = new HashMap<>();
    Map<String, Integer> ports = new HashMap<>();
    for (JsonNode path : ingress.at("/spec/rules/0/http/paths")) {
      assertEquals("Prefix", path.path("pathType").asText());
      routes.put(path.path("path").asText(), path.at("/backend/service/name").asText());
      ports.put(path.path("path").asText(), path.at("/backend/service/port/number").asInt());
    }
    Map<String, String> contract = new HashMap<>();
    for (Routes.Route route : Routes.TABLE) {
      contract.put(route.prefix(), route.target().module());
      assertEquals(route.target().port(), ports.get(route.prefix()), route.prefix());
    }
    contract.put("/", Component.NOTIFICATION.module());
    assertEquals(contract, routes);
    assertTrue(
        ingress.at("/metadata/annotations").toString().contains("proxy-read-timeout"),
        "WebSockets would be cut after 60 s");
    assertEquals(
        "20",
        ingress.at("/metadata/annotations/nginx.ingress.kubernetes.io~1limit-rps").asText(),
        "static files have no budget in the services: the edge limits them");
  }

  @Test
  void noIngressReachesTheManagementInterface() {
    List<Manifests> rendered = new ArrayList<>(List.of(base));
    if (Manifests.kubectlAvailable()) {
      rendered.add(Manifests.render("overlays/local"));
      rendered.add(Manifests.render("overlays/production"));
    }
    for (Manifests manifests : rendered) {
      for (JsonNode ingress : manifests.ofKind("Ingress")) {
        List<JsonNode> backends = new ArrayList<>();
        JsonNode defaultBackend = ingress.at("/spec/defaultBackend");
        if (!defaultBackend.isMissingNode()) {
          backends.add(defaultBackend);
        }
        for (JsonNode rule : ingress.at("/spec/rules")) {
          for (JsonNode path : rule.at("/http/paths")) {
            assertFalse(path.path("path").asText().startsWith("/q"), path.toString());
            backends.add(path.path("backend"));
          }
        }
        for (JsonNode backend : backends) {
          assertEquals("http", targetPort(manifests, backend.path("service")), backend.toString());
        }
      }
    }
  }

  @Test
  void theProductionIngressServesHttpsOnlyWithACertificateFromCertManager() {
    assumeTrue(
        Manifests.kubectlAvailable(),
        "kubectl is not installed: overlays are not rendered, base only is checked");
    JsonNode ingress = Manifests.render("overlays/production").ofKind("Ingress").get(0);
    JsonNode annotations = ingress.at("/metadata/annotations");
    assertFalse(
        annotations.path("cert-manager.io/cluster-issuer").asText().isBlank(),
        "no certificate issuer");
    assertEquals("true", annotations.path("nginx.ingress.kubernetes.io/ssl-redirect").asText());
    assertEquals(
        "true", annotations.path("nginx.ingress.kubernetes.io/force-ssl-redirect").asText());
    Set<String> tlsHosts = new HashSet<>();
    for (JsonNode tls : ingress.at("/spec/tls")) {
      assertEquals("souq-tls", tls.path("secretName").asText());
      tls.path("hosts").forEach(host -> tlsHosts.add(host.asText()));
    }
    assertFalse(tlsHosts.isEmpty(), "no tls section");
    for (JsonNode rule : ingress.at("/spec/rules")) {
      String host = rule.path("host").asText();
      // A rule without a host would answer any name, with a certificate for none of them.
      assertTrue(tlsHosts.contains(host), "rule for host '" + host + "' is not under tls");
    }
  }

  /**
   * The container port a Service port of this backend leads to, by name; fails when the backend
   * names a port the Service does not have.
   */
  private static String targetPort(Manifests manifests, JsonNode backend) {
    JsonNode service =
        manifests
            .find("Service", backend.path("name").asText())
            .orElseThrow(() -> new AssertionError("no Service " + backend));
    JsonNode wanted = backend.path("port");
    assertNotEquals(9000, wanted.path("number").asInt(), backend.toString());
    assertNotEquals("management", wanted.path("name").asText(), backend.toString());
    for (JsonNode port : service.at("/spec/ports")) {
      boolean byNumber =
          wanted.has("number") && wanted.path("number").asInt() == port.path("port").asInt();
      boolean byName =
          wanted.has("name") && wanted.path("name").asText().equals(port.path("name").asText());
      if (byNumber || byName) {
        return port.path("targetPort").asText();
      }
    }
    throw new AssertionError("Service " + backend.path("name").asText() + " has no " + wanted);
  }
}
