package dev.souq.shared.ratelimit;

import dev.souq.shared.problem.Problem;
import dev.souq.shared.redis.Deadline;
import dev.souq.shared.redis.LuaScript;
import dev.souq.shared.security.AdminToken;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * Limits every REST endpoint to {@code souq.rate-limit.per-minute} requests per client IP, shared
 * by all replicas through one Redis key per IP and one atomic script per request (GCRA). Answers
 * 429 with Retry-After and the IETF RateLimit-Policy / RateLimit headers. The client IP is the
 * socket's, unless Quarkus' {@code quarkus.http.proxy.*} names the peer a trusted proxy.
 */
public class RateLimitFilter {
  private static final LuaScript GCRA = LuaScript.fromClasspath("/lua/rate-limit.lua");
  private static final String WINDOW_MS = "60000";
  private static final String STATE = "souq.rate-limit";

  private final RateLimitConfig config;
  private final AdminToken adminToken;
  private final ReactiveRedisDataSource redis;
  private final Counter limited;
  private final Counter failedOpen;
  private final String policy;

  RateLimitFilter(
      RateLimitConfig config,
      AdminToken adminToken,
      ReactiveRedisDataSource redis,
      MeterRegistry registry) {
    this.config = config;
    this.adminToken = adminToken;
    this.redis = redis;
    this.limited = registry.counter("souq.rate_limit.rejected");
    this.failedOpen = registry.counter("souq.rate_limit.failed_open");
    this.policy = "\"per-ip\";q=" + config.perMinute() + ";w=60";
  }

  @ServerRequestFilter(preMatching = true)
  public Uni<Response> limit(ContainerRequestContext context, HttpServerRequest request) {
    // Operators and services calling each other (with the admin token) are not shoppers.
    if (config.perMinute() <= 0 || adminToken.matches(context.getHeaderString("Authorization"))) {
      return Uni.createFrom().nullItem();
    }
    String ip = request.remoteAddress() == null ? "unknown" : request.remoteAddress().hostAddress();
    return Deadline.within(
            GCRA.run(
                redis,
                List.of("rate_limit:" + ip),
                List.of(Integer.toString(config.perMinute()), WINDOW_MS)),
            config.redisTimeout())
        .map(
            reply -> {
              boolean allowed = reply.get(0).toInteger() == 1;
              long remaining = reply.get(1).toLong();
              long retryMs = reply.get(2).toLong();
              long resetMs = reply.get(3).toLong();
              String state =
                  "\"per-ip\";r=" + remaining + ";t=" + Math.max(0, (resetMs + 999) / 1000);
              if (allowed) {
                context.setProperty(STATE, state);
                return null;
              }
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
            })
        .onFailure()
        .recoverWithItem(
            failure -> {
              if (config.failOpen()) {
                failedOpen.increment();
                Log.debugf("Rate limiter failed open: %s", failure.toString());
                return null;
              }
              return Problem.response(
                  Response.Status.SERVICE_UNAVAILABLE, "Rate limiter unavailable; retry later");
            });
  }

  @ServerResponseFilter
  public void headers(
      ContainerRequestContext request, jakarta.ws.rs.container.ContainerResponseContext response) {
    Object state = request.getProperty(STATE);
    if (state != null) {
      response.getHeaders().putSingle("RateLimit-Policy", policy);
      response.getHeaders().putSingle("RateLimit", state);
    }
  }
}
