package dev.souq.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.souq.devstack.Component;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Kubernetes resources as Kustomize renders them: through {@code kubectl kustomize} when kubectl is
 * installed, otherwise (base only) by reading the files its kustomization lists.
 */
final class Manifests {
  private static final YAMLMapper YAML = new YAMLMapper();
  static final Path HOME = Path.of(System.getProperty("souq.home", ".."));
  static final Path KUBERNETES = HOME.resolve("deploy/kubernetes");

  private final List<JsonNode> resources;

  private Manifests(List<JsonNode> resources) {
    this.resources = resources;
  }

  /** Whether kubectl (with its built-in kustomize) can render overlays here. */
  static boolean kubectlAvailable() {
    try {
      Process process =
          new ProcessBuilder("kubectl", "version", "--client").redirectErrorStream(true).start();
      process.getInputStream().readAllBytes();
      return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }

  static Manifests render(String directory) {
    Path dir = KUBERNETES.resolve(directory);
    return new Manifests(kubectlAvailable() ? kustomize(dir) : listed(dir));
  }

  private static List<JsonNode> kustomize(Path dir) {
    try {
      Process process = new ProcessBuilder("kubectl", "kustomize", dir.toString()).start();
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new IllegalStateException("kubectl kustomize " + dir + " failed: " + err);
      }
      return parse(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The resources a kustomization lists (files only: the base has no generators or patches). */
  private static List<JsonNode> listed(Path dir) {
    try {
      JsonNode kustomization = YAML.readTree(dir.resolve("kustomization.yaml").toFile());
      List<JsonNode> all = new ArrayList<>();
      for (JsonNode file : kustomization.path("resources")) {
        all.addAll(parse(Files.readString(dir.resolve(file.asText()))));
      }
      return all;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static List<JsonNode> parse(String yaml) throws IOException {
    List<JsonNode> docs = new ArrayList<>();
    try (var values = YAML.readerFor(JsonNode.class).readValues(yaml)) {
      while (values.hasNext()) {
        JsonNode doc = (JsonNode) values.next();
        if (doc != null && !doc.isMissingNode() && !doc.isNull()) {
          docs.add(doc);
        }
      }
    }
    return docs;
  }

  List<JsonNode> all() {
    return resources;
  }

  List<JsonNode> ofKind(String kind) {
    return resources.stream().filter(r -> kind.equals(r.path("kind").asText())).toList();
  }

  Optional<JsonNode> find(String kind, String name) {
    return ofKind(kind).stream()
        .filter(r -> name.equals(r.at("/metadata/name").asText()))
        .findFirst();
  }

  JsonNode deployment(Component component) {
    return find("Deployment", component.module())
        .orElseThrow(() -> new AssertionError("no Deployment " + component.module()));
  }

  /** The one container of a Deployment or StatefulSet. */
  static JsonNode container(JsonNode workload) {
    return workload.at("/spec/template/spec/containers/0");
  }

  /** The container port of that name, or a missing node. */
  static JsonNode port(JsonNode container, String name) {
    for (JsonNode port : container.path("ports")) {
      if (name.equals(port.path("name").asText())) {
        return port;
      }
    }
    return MissingNode.getInstance();
  }
}
