package dev.souq.e2e;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.souq.devstack.Component;
import dev.souq.devstack.ServiceProcess;
import dev.souq.e2e.OtlpReceiver.Received;
import io.opentelemetry.proto.trace.v1.Span.SpanKind;
import io.restassured.http.ContentType;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * One order's journey as one trace: the shop's services export to the test's own collector, the
 * order is placed under a trace id the test chose (as a caller's traceparent), and the trace must
 * hold every hop in causal order — across the outbox, Redis pub/sub and the job queue, where no
 * HTTP header carries it.
 */
@ExtendWith(RunningSouq.class)
class TraceIT {
  private static SouqSystem system;

  @BeforeAll
  static void useTheRunningShop(SouqSystem running) {
    system = running;
  }

  @Test
  void oneOrderIsOneTraceFromPlacementThroughPaymentToTheBrowsersFrames() throws Exception {
    String traceId = hex(16);
    String session = system.guestSession();
    try (LiveSocket browser = new LiveSocket(system.url(), session)) {
      system.fillCart(session, 5, 1);
      given()
          .baseUri(system.url())
          .cookie("SOUQ_SESSION", session)
          .header("traceparent", "00-" + traceId + "-" + hex(8) + "-01")
          .contentType(ContentType.JSON)
          .body("{}")
          .post("/api/orders")
          .then()
          .statusCode(201);

      Journey journey =
          await()
              .atMost(Duration.ofSeconds(60))
              .until(() -> Journey.of(trace(traceId)), Journey::complete);

      assertEquals(
          Set.of("catalog-service", "order-service", "notification-service", "worker-service"),
          journey.services(),
          "the services in the trace");
      // Causal order, each hop a descendant of the one before it.
      journey.follows(journey.payment, journey.placement);
      journey.follows(journey.placedPublish, journey.placement);
      journey.follows(journey.placedDelivery, journey.placement);
      journey.follows(journey.paid, journey.payment);
      journey.follows(journey.paidDelivery, journey.paid);
      assertEquals(SpanKind.SPAN_KIND_CONSUMER, journey.payment.kind());
      assertNotNull(journey.payment.attributes().get("messaging.destination.name"), "its queue");
      assertEquals("succeeded", journey.payment.attributes().get("souq.job.outcome"));
      // The browser's socket was written to: a frame write under each delivery.
      assertNotNull(journey.childOf(journey.paidDelivery, "frame write"), "no frame write");
      keep(journey);
    }
  }

  /** The trace as e2e/target/trace-of-one-order.tsv, for a picture of a real one (README). */
  private static void keep(Journey journey) throws java.io.IOException {
    StringBuilder tsv = new StringBuilder("service\tspan\tparent\tname\tstart_ns\tend_ns\n");
    for (Received span : journey.spans()) {
      tsv.append(
          String.join(
                  "\t",
                  span.service(),
                  span.spanId(),
                  span.parentSpanId(),
                  span.name(),
                  Long.toString(span.startNanos()),
                  Long.toString(span.endNanos()))
              + "\n");
    }
    java.nio.file.Files.writeString(
        java.nio.file.Path.of("target/trace-of-one-order.tsv"), tsv.toString());
  }

  @Test
  void exportsOverGrpcToo() throws Exception {
    ServiceProcess catalog =
        system.startReplica(Component.CATALOG, Map.of("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc"));
    try {
      String traceId = hex(16);
      given()
          .baseUri(catalog.uri().toString())
          .header("traceparent", "00-" + traceId + "-" + hex(8) + "-01")
          .get("/api/products/1")
          .then()
          .statusCode(200);
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> trace(traceId).stream().anyMatch(s -> s.kind() == SpanKind.SPAN_KIND_SERVER));
      assertTrue(system.traces().protocols().contains("grpc"), "no export arrived over gRPC");
    } finally {
      catalog.stop(Duration.ofSeconds(20));
    }
  }

  private static List<Received> trace(String traceId) {
    return system.traces().spans().stream().filter(s -> s.traceId().equals(traceId)).toList();
  }

  private static String hex(int bytes) {
    byte[] id = new byte[bytes];
    new SecureRandom().nextBytes(id);
    return HexFormat.of().formatHex(id);
  }

  /** The hops of one order's trace, found by what they are, not by their order of arrival. */
  private record Journey(
      List<Received> spans,
      Received placement,
      Received placedPublish,
      Received placedDelivery,
      Received payment,
      Received paid,
      Received paidDelivery) {

    static Journey of(List<Received> spans) {
      Received placement =
          first(spans, s -> server(s, "order-service") && s.name().equals("POST /api/orders"));
      Received payment = first(spans, s -> s.name().equals("process_payment process"));
      Received paid =
          first(
              spans,
              s ->
                  server(s, "order-service")
                      && s.name().startsWith("POST /api/orders/")
                      && s.name().endsWith("/status")
                      && payment != null
                      && descends(spans, s, payment));
      Received placedPublish =
          first(
              spans,
              s ->
                  s.name().equals("order_updates publish")
                      && placement != null
                      && s.parentSpanId().equals(placement.spanId()));
      Received placedDelivery = delivery(spans, placement);
      Received paidDelivery = delivery(spans, paid);
      return new Journey(
          spans, placement, placedPublish, placedDelivery, payment, paid, paidDelivery);
    }

    @Override
    public String toString() {
      return spans.stream()
              .map(
                  s ->
                      s.service()
                          + ":"
                          + s.name()
                          + "("
                          + s.spanId()
                          + "<"
                          + s.parentSpanId()
                          + ")")
              .toList()
          + " refused exports: "
          + system.traces().refused();
    }

    /**
     * The delivery of {@code update}'s message to the test's socket: the one that wrote a frame.
     */
    private static Received delivery(List<Received> spans, Received update) {
      return first(
          spans,
          s ->
              s.name().equals("order_updates deliver")
                  && update != null
                  && s.parentSpanId().equals(update.spanId())
                  && first(spans, w -> w.parentSpanId().equals(s.spanId())) != null);
    }

    boolean complete() {
      return placement != null
          && placedPublish != null
          && placedDelivery != null
          && payment != null
          && paid != null
          && paidDelivery != null
          && childOf(paidDelivery, "frame write") != null
          && services().contains("catalog-service");
    }

    Set<String> services() {
      return spans.stream().map(Received::service).collect(Collectors.toSet());
    }

    /** {@code later} is in {@code earlier}'s subtree and did not start before it. */
    void follows(Received later, Received earlier) {
      assertTrue(descends(spans, later, earlier), later.name() + " is not under " + earlier.name());
      assertTrue(
          later.startNanos() >= earlier.startNanos(),
          later.name() + " started before " + earlier.name());
    }

    Received childOf(Received parent, String name) {
      return first(spans, s -> s.name().equals(name) && s.parentSpanId().equals(parent.spanId()));
    }

    private static boolean server(Received span, String service) {
      return span.kind() == SpanKind.SPAN_KIND_SERVER && service.equals(span.service());
    }

    private static boolean descends(List<Received> spans, Received span, Received ancestor) {
      Map<String, Received> byId =
          spans.stream().collect(Collectors.toMap(Received::spanId, s -> s, (a, b) -> a));
      for (Received at = span; at != null; at = byId.get(at.parentSpanId())) {
        if (at.spanId().equals(ancestor.spanId())) {
          return true;
        }
      }
      return false;
    }

    private static Received first(List<Received> spans, Predicate<Received> what) {
      return spans.stream().filter(what).findFirst().orElse(null);
    }
  }
}
