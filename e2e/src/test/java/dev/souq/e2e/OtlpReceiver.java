package dev.souq.e2e;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * An OTLP trace collector inside the test JVM: what the packaged services export, over either
 * protocol they offer (http/protobuf on {@code /v1/traces}, gRPC over cleartext HTTP/2), is kept as
 * {@link Received} spans for tests to read.
 */
final class OtlpReceiver implements AutoCloseable {
  private static final String GRPC_PATH =
      "/opentelemetry.proto.collector.trace.v1.TraceService/Export";

  /** A span as received: its service (resource service.name), ids in hex, times in ns. */
  record Received(
      String service,
      String traceId,
      String spanId,
      String parentSpanId,
      String name,
      Span.SpanKind kind,
      long startNanos,
      long endNanos,
      Map<String, String> attributes,
      List<String> linkedSpanIds) {}

  private final HttpServer server;
  private final List<Received> spans = new CopyOnWriteArrayList<>();
  private final List<String> protocols = new CopyOnWriteArrayList<>();
  private final List<String> refused = new CopyOnWriteArrayList<>();

  OtlpReceiver(Vertx vertx) throws Exception {
    server = vertx.createHttpServer().requestHandler(this::handle);
    server
        .listen(0, "127.0.0.1")
        .toCompletionStage()
        .toCompletableFuture()
        .get(10, TimeUnit.SECONDS);
  }

  /** The endpoint to give OTEL_EXPORTER_OTLP_ENDPOINT, for either protocol. */
  String endpoint() {
    return "http://127.0.0.1:" + server.actualPort();
  }

  /** Every span received so far. */
  List<Received> spans() {
    return List.copyOf(spans);
  }

  /** The protocols exports arrived by so far ("http/protobuf", "grpc"). */
  List<String> protocols() {
    return List.copyOf(protocols);
  }

  /** Why exports were refused (a test that finds spans missing says so). */
  List<String> refused() {
    return List.copyOf(refused);
  }

  private void handle(HttpServerRequest request) {
    request
        .body()
        .onSuccess(
            body -> {
              try {
                if ("/v1/traces".equals(request.path())) {
                  keep(ExportTraceServiceRequest.parseFrom(body.getBytes()), "http/protobuf");
                  request
                      .response()
                      .putHeader("content-type", "application/x-protobuf")
                      .end(
                          Buffer.buffer(
                              ExportTraceServiceResponse.getDefaultInstance().toByteArray()));
                } else if (GRPC_PATH.equals(request.path())) {
                  // gRPC framing: a compressed flag byte, a 4-byte length, the message.
                  byte[] framed = body.getBytes();
                  keep(
                      ExportTraceServiceRequest.parseFrom(
                          java.util.Arrays.copyOfRange(framed, 5, framed.length)),
                      "grpc");
                  request
                      .response()
                      .putHeader("content-type", "application/grpc")
                      .putTrailer("grpc-status", "0")
                      .end(Buffer.buffer(new byte[5]));
                } else {
                  request.response().setStatusCode(404).end();
                }
              } catch (InvalidProtocolBufferException | RuntimeException e) {
                refused.add(e.toString());
                request.response().setStatusCode(400).end(e.toString());
              }
            });
  }

  private void keep(ExportTraceServiceRequest export, String protocol) {
    protocols.add(protocol);
    for (ResourceSpans resource : export.getResourceSpansList()) {
      String service = attributes(resource.getResource().getAttributesList()).get("service.name");
      for (ScopeSpans scope : resource.getScopeSpansList()) {
        for (Span span : scope.getSpansList()) {
          spans.add(
              new Received(
                  service,
                  hex(span.getTraceId()),
                  hex(span.getSpanId()),
                  hex(span.getParentSpanId()),
                  span.getName(),
                  span.getKind(),
                  span.getStartTimeUnixNano(),
                  span.getEndTimeUnixNano(),
                  attributes(span.getAttributesList()),
                  span.getLinksList().stream().map(link -> hex(link.getSpanId())).toList()));
        }
      }
    }
  }

  private static Map<String, String> attributes(List<KeyValue> values) {
    return values.stream()
        .collect(Collectors.toMap(KeyValue::getKey, kv -> text(kv.getValue()), (a, b) -> b));
  }

  private static String text(AnyValue value) {
    return switch (value.getValueCase()) {
      case STRING_VALUE -> value.getStringValue();
      case INT_VALUE -> Long.toString(value.getIntValue());
      case BOOL_VALUE -> Boolean.toString(value.getBoolValue());
      case DOUBLE_VALUE -> Double.toString(value.getDoubleValue());
      default -> value.toString();
    };
  }

  private static String hex(ByteString bytes) {
    return HexFormat.of().formatHex(bytes.toByteArray());
  }

  @Override
  public void close() throws Exception {
    server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
