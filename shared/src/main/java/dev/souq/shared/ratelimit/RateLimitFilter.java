package dev.souq.shared.ratelimit;

import dev.souq.shared.problem.Problem;
import dev.souq.shared.security.AdminToken;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * Limits every REST endpoint to {@code souq.rate-limit.per-minute} requests per client IP, shared
 * by all replicas through one Redis key per IP (GCRA). The checks of each event loop go to Redis in
 * batches ({@link GcraBatcher}), and a busy client's requests are admitted from cells granted ahead
 * ({@link LocalBudgets}, within one second's budget of exact). Answers 429 with Retry-After and the
 * IETF RateLimit-Policy / RateLimit headers. The client IP is the socket's, unless Quarkus' {@code
 * quarkus.http.proxy.*} names the peer a trusted proxy.
 */
public class RateLimitFilter {
  private static final String STATE = "souq.rate-limit";

  private final RateLimitConfig config;
  private final AdminToken adminToken;
  private final io.vertx.redis.client.Redis redis;
  private final Vertx vertx;
  private final Counter limited;
  private final Counter failedOpen;
  private final String policy;
  private final Map<Context, GcraBatcher> batchers = new ConcurrentHashMap<>();

  RateLimitFilter(
      RateLimitConfig config,
      AdminToken adminToken,
      ReactiveRedisDataSource redis,
      Vertx vertx,
      MeterRegistry registry) {
    this.config = config;
    this.adminToken = adminToken;
    this.redis = redis.getRedis().getDelegate();
    this.vertx = vertx;
    this.limited = registry.counter("souq.rate_limit.rejected");
    this.failedOpen = registry.counter("souq.rate_limit.failed_open");
    this.policy = "\"per-ip\";q=" + config.perMinute() + ";w=60";
  }

  @ServerRequestFilter(preMatching = true)
  public Uni<Response> limit(ContainerRequestContext context, HttpServerRequest request) {
    // Operators and services calling each other (with the admin token) are not shoppers.
    if (config.perMinute() <= 0 || adminToken.matches(context.getHeaderString("Authorization"))) {
      return null;
    }
    String ip = request.remoteAddress() == null ? "unknown" : request.remoteAddress().hostAddress();
    PendingCheck check = new PendingCheck(this, "rate_limit:" + ip);
    context.setProperty(STATE, check);
    Context current = Vertx.currentContext();
    if (current != null && current.isEventLoopContext()) {
      batcher(VertxContext.getRootContext(current)).submit(check);
      if (check.admittedNow()) {
        return null; // answered from the loop's allowance: the request goes on, not suspended
      }
    } else {
      // Not on an event loop (pre-matching filters normally are): hand it to one.
      Context loop = vertx.getOrCreateContext();
      loop.runOnContext(v -> batcher(VertxContext.getRootContext(loop)).submit(check));
    }
    return check;
  }

  /** The batcher of the event loop whose root context this is, made on first use. */
  private GcraBatcher batcher(Context root) {
    GcraBatcher batcher = batchers.get(root);
    if (batcher == null) {
      // Quarkus forbids locals on a root context, hence the map (a handful of event loops).
      batcher =
          batchers.computeIfAbsent(
              root, r -> new GcraBatcher(redis, r, config.perMinute(), config.redisTimeout()));
    }
    return batcher;
  }

  @ServerResponseFilter
  public void headers(ContainerRequestContext request, ContainerResponseContext response) {
    if (request.getProperty(STATE) instanceof PendingCheck check) {
      String state = check.admittedState();
      if (state != null) {
        response.getHeaders().putSingle("RateLimit-Policy", policy);
        response.getHeaders().putSingle("RateLimit", state);
      }
    }
  }

  Response refusal(String state, long retryMs) {
    limited.increment();
    return Response.fromResponse(
            Problem.response(
                Response.Status.TOO_MANY_REQUESTS,
                "Rate limit of "
                    + config.perMinute()
                    + " requests per minute exceeded; retry later"))
        .header("Retry-After", Math.max(1, (retryMs + 999) / 1000))
        .header("RateLimit-Policy", policy)
        .header("RateLimit", state)
        .build();
  }

  Response unavailable(Throwable failure) {
    if (config.failOpen()) {
      failedOpen.increment();
      Log.debugf("Rate limiter failed open: %s", failure.toString());
      return null;
    }
    return Problem.response(
        Response.Status.SERVICE_UNAVAILABLE, "Rate limiter unavailable; retry later");
  }
}
