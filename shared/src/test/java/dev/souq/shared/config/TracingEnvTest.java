package dev.souq.shared.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TracingEnvTest {
  private static Map<String, String> map(Map<String, String> env) {
    return new TracingEnv(name -> Optional.ofNullable(env.get(name))).getProperties();
  }

  @Test
  void noEndpointLeavesTheSdkDisabledAndNothingInstrumented() {
    var props = map(Map.of("OTEL_TRACES_SAMPLER_ARG", "0.1"));
    assertFalse(props.containsKey("quarkus.otel.sdk.disabled"), "the default (disabled) stands");
    assertEquals("false", props.get("quarkus.otel.instrument.vertx-http"));
    assertEquals("false", props.get("quarkus.otel.instrument.vertx-redis-client"));
    assertEquals("false", props.get("quarkus.otel.instrument.vertx-sql-client"));
  }

  @Test
  void anSdkSwitchedOnWithoutAnEndpointIsInstrumented() {
    var props = map(Map.of("quarkus.otel.sdk.disabled", "false"));
    assertEquals("true", props.get("quarkus.otel.instrument.vertx-http"));
  }

  @Test
  void theStandardEndpointTurnsTracingOnWithItsProtocol() {
    var props =
        map(
            Map.of(
                "OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318",
                "OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf",
                "OTEL_TRACES_SAMPLER_ARG", "0.25"));
    assertEquals("false", props.get("quarkus.otel.sdk.disabled"));
    assertEquals("http://collector:4318", props.get("quarkus.otel.exporter.otlp.traces.endpoint"));
    assertEquals("http/protobuf", props.get("quarkus.otel.exporter.otlp.traces.protocol"));
    assertEquals("0.25", props.get("quarkus.otel.traces.sampler.arg"));
    assertEquals("true", props.get("quarkus.otel.instrument.vertx-http"), "instrumented");
  }

  @Test
  void aSwitchSetByHandIsLeftAsSet() {
    var props =
        map(
            Map.of(
                "OTEL_EXPORTER_OTLP_ENDPOINT", "http://c:4317",
                "quarkus.otel.instrument.vertx-sql-client", "false"));
    assertFalse(props.containsKey("quarkus.otel.instrument.vertx-sql-client"));
    assertEquals("true", props.get("quarkus.otel.instrument.vertx-redis-client"));
  }

  @Test
  void quarkusOwnEndpointsTurnTracingOnToo() {
    var traces = map(Map.of("quarkus.otel.exporter.otlp.traces.endpoint", "http://c:4317"));
    assertEquals("false", traces.get("quarkus.otel.sdk.disabled"));
    assertFalse(traces.containsKey("quarkus.otel.exporter.otlp.traces.endpoint"), "left as set");
    var generic = map(Map.of("quarkus.otel.exporter.otlp.endpoint", "http://c:4317"));
    assertEquals("http://c:4317", generic.get("quarkus.otel.exporter.otlp.traces.endpoint"));
  }

  @Test
  void theTracesEndpointWinsOverTheGenericOne() {
    var props =
        map(
            Map.of(
                "OTEL_EXPORTER_OTLP_ENDPOINT", "http://generic:4317",
                "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://traces:4318/v1/traces"));
    // Whole, as the SDK takes it; the extension adds /v1/traces itself.
    assertEquals("http://traces:4318", props.get("quarkus.otel.exporter.otlp.traces.endpoint"));
  }

  @Test
  void anExplicitSwitchWins() {
    var props =
        map(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://c:4317", "OTEL_SDK_DISABLED", "true"));
    assertEquals("true", props.get("quarkus.otel.sdk.disabled"));
  }

  @Test
  void anUnknownProtocolIsRefusedWithWhatToUse() {
    var refused =
        assertThrows(
            IllegalArgumentException.class,
            () -> map(Map.of("OTEL_EXPORTER_OTLP_PROTOCOL", "http/json")));
    assertTrue(refused.getMessage().contains("grpc or http/protobuf"), refused.getMessage());
  }
}
