package dev.souq.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.souq.devstack.Component;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/** What operators would otherwise find out in production, checked against the code. */
class ManifestsTest {
  private static final String VERSION = System.getProperty("souq.version", "1.0.0-SNAPSHOT");
  private static final Set<String> HEALTH_PATHS =
      Set.of("/q/health/started", "/q/health/live", "/q/health/ready");

  /** A token given a value: SOUQ_ADMIN_TOKEN=value (shell) or SOUQ_SERVICE_TOKEN: value (YAML). */
  private static final Pattern TOKEN_LITERAL =
      Pattern.compile("(SOUQ_(?:ADMIN|SERVICE)_TOKEN)(?:=|: )[\"']?([^\\s\"'`]+)");

  private final Manifests base = Manifests.render("base");

  @Test
  void everyServiceHasADeploymentWhoseImageIsTheOneTheBuildMakes() {
    assertEquals(Component.values().length, base.ofKind("Deployment").size());
    for (Component component : Component.values()) {
      JsonNode deployment = deployment(base, component);
      ServiceSources sources = new ServiceSources(component.module());
      assertEquals(
          sources.property("quarkus.container-image.group")
              + "/"
              + sources.property("quarkus.container-image.name")
              + ":"
              + VERSION,
          Manifests.container(deployment).path("image").asText(),
          component.module());
      assertTrue(
          sources.pom().contains("quarkus-container-image-jib"),
          component.module() + " builds no image");
    }
  }

  @Test
  void portsMatchWhatEachServiceListensOn() {
    for (Component component : Component.values()) {
      int port =
          Integer.parseInt(new ServiceSources(component.module()).property("quarkus.http.port"));
      assertEquals(component.port(), port, component.module() + " differs from CONTRACT");
      JsonNode container = Manifests.container(deployment(base, component));
      assertEquals(
          port,
          Manifests.port(container, "http").path("containerPort").asInt(),
          component.module());
      JsonNode service = base.find("Service", component.module()).orElseThrow();
      // The http port only: what a Service does not expose, the Ingress cannot route to.
      assertEquals(1, service.at("/spec/ports").size(), component.module() + " exposes more");
      assertEquals(port, service.at("/spec/ports/0/port").asInt());
      assertEquals("http", service.at("/spec/ports/0/targetPort").asText());
      assertEquals(
          component.module(), service.at("/spec/selector/app.kubernetes.io~1name").asText());
    }
  }

  @Test
  void probesAskTheHealthEndpointsOnTheManagementInterface() {
    for (Component component : Component.values()) {
      ServiceSources sources = new ServiceSources(component.module());
      assertTrue(sources.pom().contains("quarkus-smallrye-health"));
      assertEquals(
          "true",
          sources.property("quarkus.management.enabled"),
          component.module() + " serves /q on its public port");
      String managementPort =
          sources.property("quarkus.management.port") == null
              ? "9000"
              : sources.property("quarkus.management.port");
      JsonNode container = Manifests.container(deployment(base, component));
      assertEquals(
          managementPort,
          Manifests.port(container, "management").path("containerPort").asText(),
          component.module());
      for (String probe : new String[] {"startupProbe", "livenessProbe", "readinessProbe"}) {
        String path = container.at("/" + probe + "/httpGet/path").asText();
        assertTrue(HEALTH_PATHS.contains(path), component.module() + " " + probe + " asks " + path);
        assertEquals("management", container.at("/" + probe + "/httpGet/port").asText());
      }
      JsonNode annotations = deployment(base, component).at("/spec/template/metadata/annotations");
      assertEquals(managementPort, annotations.path("prometheus.io/port").asText());
      assertEquals("/q/metrics", annotations.path("prometheus.io/path").asText());
      assertEquals("/q/health/ready", container.at("/readinessProbe/httpGet/path").asText());
      assertEquals("/q/health/live", container.at("/livenessProbe/httpGet/path").asText());
    }
  }

  @Test
  void podsAreLockedDownAndSized() {
    for (Component component : Component.values()) {
      JsonNode deployment = deployment(base, component);
      JsonNode container = Manifests.container(deployment);
      assertTrue(deployment.at("/spec/template/spec/securityContext/runAsNonRoot").asBoolean());
      assertFalse(
          deployment.at("/spec/template/spec/automountServiceAccountToken").asBoolean(true),
          component.module() + " mounts a service-account token");
      assertTrue(container.at("/securityContext/readOnlyRootFilesystem").asBoolean());
      assertFalse(container.at("/securityContext/allowPrivilegeEscalation").asBoolean(true));
      for (String path :
          new String[] {
            "/resources/requests/cpu",
            "/resources/requests/memory",
            "/resources/limits/cpu",
            "/resources/limits/memory"
          }) {
        assertFalse(container.at(path).asText().isEmpty(), component.module() + path);
      }
      assertTrue(container.path("volumeMounts").toString().contains("/tmp"), "no writable /tmp");
    }
    // The worker's grace: its own shutdown grace (20 s) plus the preStop pause, with room.
    assertTrue(
        deployment(base, Component.WORKER)
                .at("/spec/template/spec/terminationGracePeriodSeconds")
                .asInt()
            >= 30);
    assertTrue(
        deployment(base, Component.NOTIFICATION)
                .at("/spec/template/spec/terminationGracePeriodSeconds")
                .asInt()
            >= 30);
  }

  @Test
  void everyEnvVarIsOneTheAppReadsAndEveryOneItNeedsIsSet() {
    Set<String> platform = ServiceSources.platformEnv();
    JsonNode config = base.find("ConfigMap", "souq-config").orElseThrow();
    for (Component component : Component.values()) {
      ServiceSources sources = new ServiceSources(component.module());
      Set<String> known = sources.knownSettingsAsEnv();
      Set<String> set = new HashSet<>();
      for (JsonNode env : Manifests.container(deployment(base, component)).path("env")) {
        String name = env.path("name").asText();
        set.add(name);
        boolean read =
            platform.contains(name)
                || name.startsWith("QUARKUS_")
                || sources.referencedEnv().contains(name)
                || known.contains(name);
        assertTrue(read, component.module() + " does not read " + name);
        if (platform.contains(name) && name.equals("DATABASE_URL")) {
          assertTrue(sources.hasDatabase(), component.module() + " has no database");
        }
        JsonNode fromConfig = env.at("/valueFrom/configMapKeyRef");
        if (!fromConfig.isMissingNode()) {
          assertTrue(
              config.at("/data").has(fromConfig.path("key").asText()),
              name + " is not in souq-config");
        }
      }
      Set<String> needed = new HashSet<>(Set.of("REDIS_URL"));
      if (component.holdsTokens()) {
        needed.addAll(Set.of("SOUQ_ADMIN_TOKEN", "SOUQ_SERVICE_TOKEN"));
      }
      needed.addAll(sources.referencedEnv());
      if (sources.hasDatabase()) {
        needed.add("DATABASE_URL");
      }
      assertTrue(set.containsAll(needed), component.module() + " needs " + needed + ", has " + set);
    }
  }

  @Test
  void everyServiceThatUsesThemGetsTheOperatorAndTheServiceTokenEachFromItsOwnSecret() {
    for (Component component : Component.values()) {
      Map<String, String> secrets = new HashMap<>();
      for (JsonNode env : Manifests.container(deployment(base, component)).path("env")) {
        JsonNode ref = env.at("/valueFrom/secretKeyRef");
        if (!ref.isMissingNode()) {
          secrets.put(
              env.path("name").asText(),
              ref.path("name").asText() + "/" + ref.path("key").asText());
        }
      }
      if (!component.holdsTokens()) {
        assertEquals(Map.of("REDIS_URL", "souq-redis/REDIS_URL"), secrets, component.module());
        continue;
      }
      assertEquals(
          "souq-admin/SOUQ_ADMIN_TOKEN", secrets.get("SOUQ_ADMIN_TOKEN"), component.module());
      assertEquals(
          "souq-service/SOUQ_SERVICE_TOKEN", secrets.get("SOUQ_SERVICE_TOKEN"), component.module());
    }
  }

  @Test
  @SuppressWarnings("unchecked") // the file's shape, checked by the assertions
  void inDockerComposeTooOnlyTheServicesThatHoldTokensGetThem() throws IOException {
    // SnakeYAML resolves the file's anchors and merge keys, and refuses duplicate keys, as Compose.
    LoaderOptions strict = new LoaderOptions();
    strict.setAllowDuplicateKeys(false);
    Map<String, Map<String, Map<String, Object>>> compose =
        new Yaml(strict)
            .load(Files.readString(Manifests.HOME.resolve("deploy/docker-compose.yml")));
    for (Component component : Component.values()) {
      Map<String, Object> env =
          (Map<String, Object>) compose.get("services").get(component.module()).get("environment");
      assertTrue(env.containsKey("REDIS_URL"), component.module());
      for (String token : new String[] {"SOUQ_ADMIN_TOKEN", "SOUQ_SERVICE_TOKEN"}) {
        assertEquals(
            component.holdsTokens(), env.containsKey(token), component.module() + " " + token);
      }
    }
  }

  @Test
  void scalableServicesHaveAutoscalersAndDisruptionBudgets() {
    for (Component component :
        new Component[] {Component.CATALOG, Component.NOTIFICATION, Component.WORKER}) {
      JsonNode hpa = base.find("HorizontalPodAutoscaler", component.module()).orElseThrow();
      assertEquals(component.module(), hpa.at("/spec/scaleTargetRef/name").asText());
      JsonNode pdb = base.find("PodDisruptionBudget", component.module()).orElseThrow();
      assertEquals(
          component.module(),
          pdb.at("/spec/selector/matchLabels/app.kubernetes.io~1name").asText());
    }
  }

  @Test
  void theLocalOverlayRunsRedisForQueuesAndPostgresqlWithVolumes() {
    assumeTrue(
        Manifests.kubectlAvailable(),
        "kubectl is not installed: overlays are not rendered, base only is checked");
    Manifests local = Manifests.render("overlays/local");
    JsonNode redis = local.find("StatefulSet", "redis").orElseThrow();
    String args = Manifests.container(redis).path("args").toString();
    assertTrue(args.contains("\"--appendonly\",\"yes\""), args);
    assertTrue(args.contains("\"--maxmemory-policy\",\"noeviction\""), args);
    assertFalse(redis.at("/spec/volumeClaimTemplates").isEmpty());
    // The cache's own Redis evicts instead; only catalog-service is pointed at it.
    JsonNode cache = local.find("Deployment", "redis-cache").orElseThrow();
    String cacheArgs = Manifests.container(cache).path("args").toString();
    assertTrue(cacheArgs.contains("\"--maxmemory-policy\",\"allkeys-lru\""), cacheArgs);
    for (Component component : Component.values()) {
      JsonNode deployment = local.find("Deployment", component.module()).orElseThrow();
      boolean cached =
          Manifests.container(deployment)
              .path("env")
              .findValuesAsText("name")
              .contains("CATALOG_CACHE_REDIS_URL");
      assertEquals(component == Component.CATALOG, cached, component.module());
    }
    assertFalse(
        local
            .find("StatefulSet", "postgresql")
            .orElseThrow()
            .at("/spec/volumeClaimTemplates")
            .isEmpty());
    for (JsonNode ref : secretRefs(local)) {
      JsonNode secret =
          local
              .find("Secret", ref.path("name").asText())
              .orElseThrow(() -> new AssertionError("no Secret " + ref));
      assertTrue(secret.path("data").has(ref.path("key").asText()), ref.toString());
    }
  }

  @Test
  void theLocalRedisWantsThePasswordTheServicesAreGiven() {
    assumeTrue(
        Manifests.kubectlAvailable(),
        "kubectl is not installed: overlays are not rendered, base only is checked");
    Manifests local = Manifests.render("overlays/local");
    JsonNode redis = Manifests.container(local.find("StatefulSet", "redis").orElseThrow());
    String args = redis.path("args").toString();
    assertTrue(args.contains("\"--requirepass\",\"$(REDIS_PASSWORD)\""), args);
    Map<String, String> env = new HashMap<>();
    for (JsonNode variable : redis.path("env")) {
      JsonNode ref = variable.at("/valueFrom/secretKeyRef");
      env.put(
          variable.path("name").asText(),
          secret(local, ref.path("name").asText(), ref.path("key").asText()));
    }
    String password = env.get("REDIS_PASSWORD");
    assertTrue(password != null && password.length() >= 32, "a guessable Redis password");
    assertEquals(password, env.get("REDISCLI_AUTH"), "the probe's redis-cli would be refused");
    String url = secret(local, "souq-redis", "REDIS_URL");
    assertTrue(url.startsWith("redis://:" + password + "@redis:6379/"), url);
  }

  @Test
  void theLocalTokensAreLongEnoughForTheServicesToStart() {
    assumeTrue(
        Manifests.kubectlAvailable(),
        "kubectl is not installed: overlays are not rendered, base only is checked");
    Manifests local = Manifests.render("overlays/local");
    String admin = secret(local, "souq-admin", "SOUQ_ADMIN_TOKEN");
    String service = secret(local, "souq-service", "SOUQ_SERVICE_TOKEN");
    assertTrue(admin.length() >= 32, "SOUQ_ADMIN_TOKEN: " + admin.length() + " characters");
    assertTrue(service.length() >= 32, "SOUQ_SERVICE_TOKEN: " + service.length() + " characters");
    assertTrue(admin.startsWith("local-only-") && service.startsWith("local-only-"));
    assertFalse(admin.equals(service), "one token for operators and services");
  }

  @Test
  void theDocsNeverSuggestATokenTheServicesWouldRefuse() throws IOException {
    for (String file : new String[] {"deploy/README.md", "deploy/docker-compose.yml"}) {
      String text = Files.readString(Manifests.HOME.resolve(file));
      Matcher literal = TOKEN_LITERAL.matcher(text);
      while (literal.find()) {
        String value = literal.group(2);
        assertTrue(
            value.startsWith("$") || value.length() >= 32,
            file + " suggests " + literal.group(1) + "=" + value);
      }
    }
  }

  @Test
  void theProductionOverlayRunsTwoReplicasApartAndNamesItsSecrets() throws IOException {
    assumeTrue(
        Manifests.kubectlAvailable(),
        "kubectl is not installed: overlays are not rendered, base only is checked");
    Manifests production = Manifests.render("overlays/production");
    assertTrue(
        production.ofKind("StatefulSet").isEmpty(), "production uses managed Redis and PostgreSQL");
    for (Component component : Component.values()) {
      JsonNode deployment = deployment(production, component);
      assertTrue(deployment.at("/spec/replicas").asInt() >= 2, component.module());
      assertFalse(
          deployment.at("/spec/template/spec/affinity/podAntiAffinity").isMissingNode(),
          component.module());
      assertTrue(
          Manifests.container(deployment)
              .path("image")
              .asText()
              .endsWith("/" + component.module() + ":" + VERSION));
    }
    for (JsonNode hpa : production.ofKind("HorizontalPodAutoscaler")) {
      assertTrue(hpa.at("/spec/minReplicas").asInt() >= 2);
    }
    String readme = Files.readString(Manifests.HOME.resolve("deploy/README.md"));
    for (JsonNode ref : secretRefs(production)) {
      assertTrue(
          readme.contains("create secret generic " + ref.path("name").asText())
              && readme.contains(ref.path("key").asText()),
          "deploy/README.md does not say how to create " + ref);
    }
  }

  /** A generated Secret's value, decoded. */
  private static String secret(Manifests manifests, String name, String key) {
    JsonNode secret =
        manifests.find("Secret", name).orElseThrow(() -> new AssertionError("no Secret " + name));
    JsonNode data = secret.at("/data").path(key);
    assertFalse(data.isMissingNode(), name + " has no " + key);
    return new String(Base64.getMimeDecoder().decode(data.asText()), StandardCharsets.UTF_8);
  }

  private static Set<JsonNode> secretRefs(Manifests manifests) {
    Set<JsonNode> refs = new HashSet<>();
    for (JsonNode resource : manifests.all()) {
      resource.findValues("secretKeyRef").forEach(refs::add);
    }
    return refs;
  }

  private static JsonNode deployment(Manifests manifests, Component component) {
    return manifests.deployment(component);
  }
}
