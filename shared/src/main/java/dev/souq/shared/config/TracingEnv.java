package dev.souq.shared.config;

import io.quarkus.runtime.annotations.StaticInitSafe;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * The OpenTelemetry SDK's standard variables, mapped onto the Quarkus extension's properties (which
 * reads only {@code QUARKUS_OTEL_*}): an OTLP endpoint turns tracing on; without one the SDK stays
 * disabled, so no service tries to reach a collector that does not run. The endpoint goes to the
 * traces exporter's own property: the extension gives that one a default of its own, so a generic
 * endpoint alone never reached it.
 */
@StaticInitSafe // the extension reads these at static init, before any ConfigSourceFactory runs
public final class TracingEnv implements ConfigSource {
  static final int ORDINAL = 305;
  private static final Map<String, String> PLAIN =
      Map.of(
          "OTEL_EXPORTER_OTLP_HEADERS", "quarkus.otel.exporter.otlp.traces.headers",
          "OTEL_TRACES_SAMPLER_ARG", "quarkus.otel.traces.sampler.arg",
          "OTEL_SERVICE_NAME", "quarkus.otel.service.name",
          "OTEL_RESOURCE_ATTRIBUTES", "quarkus.otel.resource.attributes",
          "OTEL_SDK_DISABLED", "quarkus.otel.sdk.disabled");

  private static final Set<String> PROTOCOLS = Set.of("grpc", "http/protobuf");
  private static final String ENDPOINT = "quarkus.otel.exporter.otlp.traces.endpoint";
  private static final List<String> INSTRUMENTED =
      List.of(
          "quarkus.otel.instrument.vertx-http",
          "quarkus.otel.instrument.vertx-redis-client",
          "quarkus.otel.instrument.vertx-sql-client",
          "quarkus.otel.instrument.vertx-event-bus");
  private static final String DISABLED = "quarkus.otel.sdk.disabled";

  private final Map<String, String> properties;

  /** The mapping of this process's environment and system properties. */
  public TracingEnv() {
    this(TracingEnv::lookup);
  }

  TracingEnv(Function<String, Optional<String>> env) {
    Map<String, String> mapped = new HashMap<>();
    put(mapped, env);
    this.properties = Map.copyOf(mapped);
  }

  /** A dotted name from system properties or its QUARKUS_… variable; any other from the env. */
  private static Optional<String> lookup(String name) {
    String value =
        name.contains(".")
            ? System.getProperty(
                name, System.getenv(name.toUpperCase(Locale.ROOT).replaceAll("[.\\-]", "_")))
            : System.getenv(name);
    return Optional.ofNullable(value).filter(v -> !v.isBlank());
  }

  @Override
  public Map<String, String> getProperties() {
    return properties;
  }

  @Override
  public Set<String> getPropertyNames() {
    return properties.keySet();
  }

  @Override
  public String getValue(String name) {
    return properties.get(name);
  }

  @Override
  public String getName() {
    return "souq-tracing-env";
  }

  @Override
  public int getOrdinal() {
    return ORDINAL;
  }

  static void put(Map<String, String> properties, Function<String, Optional<String>> env) {
    PLAIN.forEach(
        (variable, property) -> env.apply(variable).ifPresent(v -> properties.put(property, v)));
    env.apply("OTEL_EXPORTER_OTLP_PROTOCOL")
        .ifPresent(
            protocol -> {
              if (!PROTOCOLS.contains(protocol)) {
                throw new IllegalArgumentException(
                    "OTEL_EXPORTER_OTLP_PROTOCOL="
                        + protocol
                        + " is not one Souq exports with: use grpc or http/protobuf");
              }
              properties.put("quarkus.otel.exporter.otlp.protocol", protocol);
              properties.put("quarkus.otel.exporter.otlp.traces.protocol", protocol);
            });
    Optional<String> endpoint =
        env.apply("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")
            // The SDK takes this one as the whole URL; the extension appends the path itself.
            .map(url -> url.replaceFirst("/v1/traces/?$", ""))
            .or(() -> env.apply("OTEL_EXPORTER_OTLP_ENDPOINT"))
            .or(() -> env.apply("quarkus.otel.exporter.otlp.endpoint"));
    if (env.apply(ENDPOINT).isEmpty()) {
      endpoint.ifPresent(url -> properties.put(ENDPOINT, url));
    }
    boolean exporting = endpoint.isPresent() || env.apply(ENDPOINT).isPresent();
    Optional<String> decided =
        Optional.ofNullable(properties.get(DISABLED)).or(() -> env.apply(DISABLED));
    if (exporting && decided.isEmpty()) {
      properties.put(DISABLED, "false");
    }
    boolean on = decided.map(d -> !Boolean.parseBoolean(d)).orElse(exporting);
    // Off, the disabled SDK still had every request, Redis and SQL call pass through its
    // instrumenters (no-op spans, the caller's context extracted): 6 % of the catalog's hottest
    // read (bench/tracing.sh); not instrumented, it costs nothing. Said both ways: the build sees
    // "off" and keeps it as the default of these runtime properties, which "on" must overrule.
    INSTRUMENTED.forEach(
        part -> {
          if (env.apply(part).isEmpty()) {
            properties.put(part, Boolean.toString(on));
          }
        });
  }
}
