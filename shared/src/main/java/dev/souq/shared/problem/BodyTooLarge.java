package dev.souq.shared.problem;

import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.Json;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.core.Response;
import java.io.ByteArrayOutputStream;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * 413 as problem+json for a body over {@code quarkus.http.limits.max-body-size}: at once when its
 * Content-Length says so, as soon as the limit is passed when it comes chunked (then the body is
 * buffered here, at most the limit, and handed on). Quarkus' own checks, after this route, answer
 * the same status with an empty body.
 */
@ApplicationScoped
public class BodyTooLarge {
  private final long limit;
  private final boolean bufferChunked;

  BodyTooLarge(
      @ConfigProperty(name = "quarkus.http.limits.max-body-size") Optional<MemorySize> limit,
      @ConfigProperty(name = "quarkus.rest.input-buffer-size") Optional<MemorySize> inputBuffer) {
    this.limit = limit.map(MemorySize::asLongValue).orElse(-1L);
    // Quarkus REST garbles a pre-read body larger than its input buffer: leave such services'
    // chunked bodies to Quarkus (413 without a body) rather than hand them over.
    this.bufferChunked = inputBuffer.map(MemorySize::asLongValue).orElse(10_240L) >= this.limit;
  }

  void install(@Observes Router router) {
    if (limit < 0) {
      return;
    }
    byte[] body =
        Json.encode(
                Problem.of(
                    Response.Status.REQUEST_ENTITY_TOO_LARGE,
                    "The body is larger than " + limit + " bytes"))
            .getBytes(java.nio.charset.StandardCharsets.UTF_8);
    router
        .route()
        .order(RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT - 1)
        .handler(
            ctx -> {
              String length = ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH);
              if (length != null) {
                if (tooLarge(length)) {
                  refuse(ctx, body);
                } else {
                  ctx.next();
                }
              } else if (bufferChunked
                  && ctx.request().getHeader(HttpHeaders.TRANSFER_ENCODING) != null
                  && !ctx.request().isEnded()) {
                bufferChunked(ctx, body);
              } else {
                ctx.next();
              }
            });
  }

  @SuppressWarnings("deprecation") // setBody: Quarkus REST reads a body already buffered here
  private void bufferChunked(RoutingContext ctx, byte[] problem) {
    ByteArrayOutputStream buffered = new ByteArrayOutputStream();
    boolean[] refused = {false};
    ctx.request()
        .handler(
            chunk -> {
              if (refused[0]) {
                return;
              }
              if (buffered.size() + chunk.length() > limit) {
                refused[0] = true;
                refuse(ctx, problem);
              } else {
                buffered.writeBytes(chunk.getBytes());
              }
            })
        .endHandler(
            done -> {
              if (!refused[0]) {
                // A buffer of exactly the body: Quarkus REST reads its whole backing array.
                ctx.setBody(Buffer.buffer(buffered.toByteArray()));
                ctx.next();
              }
            })
        .resume();
  }

  private static void refuse(RoutingContext ctx, byte[] problem) {
    ctx.response()
        .setStatusCode(413)
        .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
        .putHeader(HttpHeaders.CONNECTION, "close")
        .endHandler(done -> ctx.request().connection().close())
        .end(Buffer.buffer(problem));
  }

  private boolean tooLarge(String length) {
    try {
      return Long.parseLong(length.trim()) > limit;
    } catch (NumberFormatException e) {
      return false;
    }
  }
}
