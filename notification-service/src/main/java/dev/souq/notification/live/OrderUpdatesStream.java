package dev.souq.notification.live;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.souq.notification.config.NotificationConfig;
import dev.souq.notification.messaging.StreamId;
import dev.souq.notification.metrics.NotificationMetrics;
import dev.souq.shared.problem.Outages;
import dev.souq.shared.problem.Problem;
import dev.souq.shared.ratelimit.ClientAddress;
import dev.souq.shared.session.SessionStore;
import dev.souq.shared.session.WatchedSession;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /sse/orders}: the same live order updates as {@code /ws/orders}, as Server-Sent
 * Events, for browsers whose network refuses WebSocket upgrades. The same session, routing, offsets
 * (each update's {@code id:}), limits and bounded send queue; the messages are the WebSocket's JSON
 * as each event's {@code data:}. A client resumes with the standard {@code Last-Event-ID} header
 * (or {@code ?since=}): what it missed, then {@code resumed} (or {@code reload}), then live.
 */
@Singleton
class OrderUpdatesStream {
  static final String PATH = "/sse/orders";
  static final String TYPE = "text/event-stream; charset=utf-8";

  private final SessionWatch sessions;
  private final Listeners listeners;
  private final Delivery delivery;
  private final Resumption resumption;
  private final OpenBudget budget;
  private final OriginCheck origins;
  private final NotificationConfig config;
  private final NotificationMetrics metrics;
  private final Outages outages;
  private final ObjectMapper json;

  OrderUpdatesStream(
      SessionWatch sessions,
      Listeners listeners,
      Delivery delivery,
      Resumption resumption,
      OpenBudget budget,
      OriginCheck origins,
      NotificationConfig config,
      NotificationMetrics metrics,
      Outages outages,
      ObjectMapper json) {
    this.sessions = sessions;
    this.listeners = listeners;
    this.delivery = delivery;
    this.resumption = resumption;
    this.budget = budget;
    this.origins = origins;
    this.config = config;
    this.metrics = metrics;
    this.outages = outages;
    this.json = json;
  }

  void route(@Observes Router router) {
    router.get(PATH).handler(this::open);
  }

  private void open(RoutingContext routing) {
    HttpServerRequest request = routing.request();
    // The request's event loop: the response is written there, and so is every event.
    Context context = Vertx.currentContext();
    if (!origins.admits(request)) {
      refuse(request.response(), 403, Map.of(), "Pages of this origin may not open " + PATH);
      return;
    }
    String lastEventId = request.getHeader("Last-Event-ID");
    String sinceText;
    try {
      sinceText = lastEventId != null ? lastEventId : request.getParam("since");
    } catch (IllegalArgumentException malformed) {
      sinceText = "?"; // a query that is not valid percent-encoding: no offset either
    }
    StreamId since = sinceText == null || sinceText.isEmpty() ? null : StreamId.parse(sinceText);
    if (sinceText != null && !sinceText.isEmpty() && since == null) {
      refuse(
          request.response(),
          400,
          Map.of(),
          "Last-Event-ID and since must be an offset like 1732630000000-0");
      return;
    }
    String client = ClientAddress.of(request.remoteAddress());
    budget
        .check(client)
        .chain(
            refusal ->
                refusal != null
                    ? Uni.createFrom().item(refusal)
                    : sessions
                        .read(sessionId(request))
                        .emitOn(command -> context.runOnContext(v -> command.run()))
                        .map(watched -> start(routing, context, watched, client, since)))
        .subscribe()
        .with(
            refusal -> {
              if (refusal != null) {
                context.runOnContext(v -> refuse(request.response(), refusal));
              }
            },
            failure -> {
              // Redis away or silent: the 503 every request gets for an outage. Anything else is
              // a fault of this service's, not to be passed off as one.
              Response answer =
                  outages
                      .answer(failure)
                      .orElseGet(
                          () -> {
                            Log.errorf(failure, "SSE open failed");
                            return Problem.response(
                                Response.Status.INTERNAL_SERVER_ERROR,
                                "The stream could not be opened");
                          });
              context.runOnContext(v -> refuse(request.response(), answer));
            });
  }

  /** Opens the stream for a session's user; on its event loop. A refusal if it cannot. */
  private OpenBudget.Refusal start(
      RoutingContext routing,
      Context context,
      WatchedSession watched,
      String client,
      StreamId since) {
    HttpServerRequest request = routing.request();
    HttpServerResponse response = request.response();
    if (watched == null) {
      metrics.rejected();
      return new OpenBudget.Refusal(
          401, Map.of(), "No valid session: create one with POST /api/sessions");
    }
    if (response.closed()) {
      return null; // the client left during the lookup
    }
    SseTransport[] transport = new SseTransport[1];
    Listener listener =
        Listener.of(
            written -> transport[0] = new SseTransport(response, context, written),
            context,
            watched.session(),
            client,
            config,
            config.sseHeartbeat(),
            delivery);
    if (since != null) {
      resumption.holdAtOpen(listener);
    }
    Listeners.Admission admission = sessions.admit(listener, watched, config);
    if (admission != Listeners.Admission.ADDED) {
      metrics.rejected();
      return admission == Listeners.Admission.INSTANCE_FULL
          ? new OpenBudget.Refusal(
              503,
              OpenBudget.RETRY_LATER,
              "This instance holds all the live connections it takes: try again after Retry-After seconds")
          : new OpenBudget.Refusal(
              429,
              OpenBudget.RETRY_LATER,
              "This client or user holds all the live connections it may: close one first");
    }
    transport[0].open(routing, listeners::remove);
    if (since != null) {
      resumption.replayHeld(listener, since).subscribe().with(ok -> {}, failure -> {});
    }
    return null;
  }

  private String sessionId(HttpServerRequest request) {
    Cookie cookie = request.getCookie(SessionStore.COOKIE);
    if (cookie != null || !config.sessionQueryParam()) {
      return cookie == null ? null : cookie.getValue();
    }
    return request.getParam("session");
  }

  private void refuse(HttpServerResponse response, OpenBudget.Refusal refusal) {
    refuse(response, refusal.status(), refusal.headers(), refusal.detail());
  }

  /** A problem answer made for JAX-RS ({@link Outages}), written on the raw response. */
  private void refuse(HttpServerResponse response, Response answer) {
    String retryAfter = answer.getHeaderString("Retry-After");
    refuse(
        response,
        answer.getStatus(),
        retryAfter == null ? Map.of() : Map.of("Retry-After", List.of(retryAfter)),
        ((Problem) answer.getEntity()).detail());
  }

  private void refuse(
      HttpServerResponse response, int status, Map<String, List<String>> headers, String detail) {
    if (response.headWritten() || response.closed()) {
      return;
    }
    response.setStatusCode(status).putHeader("Content-Type", Problem.MEDIA_TYPE);
    headers.forEach(response::putHeader);
    String title = HttpResponseStatus.valueOf(status).reasonPhrase();
    response.end(new Problem("about:blank", title, status, detail, List.of()).toJson(json));
  }
}
