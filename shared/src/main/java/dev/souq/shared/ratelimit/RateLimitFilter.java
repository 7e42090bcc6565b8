package dev.souq.shared.ratelimit;

import dev.souq.shared.problem.Problem;
import dev.souq.shared.security.Trusted;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * Limits every REST endpoint by the {@link RateLimiter}. Answers 429 with Retry-After and the IETF
 * RateLimit-Policy / RateLimit headers. The client IP is the socket's, unless Quarkus' {@code
 * quarkus.http.proxy.*} names the peer a trusted proxy.
 */
public class RateLimitFilter {
  private static final String STATE = "souq.rate-limit";

  private final RateLimiter limiter;
  private final Trusted trusted;

  RateLimitFilter(RateLimiter limiter, Trusted trusted) {
    this.limiter = limiter;
    this.trusted = trusted;
  }

  @ServerRequestFilter(preMatching = true)
  public Uni<Response> limit(ContainerRequestContext context, HttpServerRequest request) {
    // Operators and services calling each other are not shoppers.
    if (!limiter.enabled() || trusted.caller(context.getHeaderString("Authorization"))) {
      return null;
    }
    PendingCheck check = new PendingCheck(this, RateLimiter.key(request.remoteAddress()));
    context.setProperty(STATE, check);
    limiter.check(check);
    if (check.admittedNow()) {
      return null; // answered from the loop's allowance: the request goes on, not suspended
    }
    return check;
  }

  @ServerResponseFilter
  public void headers(ContainerRequestContext request, ContainerResponseContext response) {
    if (request.getProperty(STATE) instanceof PendingCheck check) {
      String state = check.admittedState();
      if (state != null) {
        response.getHeaders().putSingle("RateLimit-Policy", limiter.policy());
        response.getHeaders().putSingle("RateLimit", state);
      }
    }
  }

  Response refusal(String state, long retryMs) {
    limiter.refused();
    return Response.fromResponse(
            Problem.response(
                Response.Status.TOO_MANY_REQUESTS,
                "Rate limit of "
                    + limiter.perMinute()
                    + " requests per minute exceeded; retry later"))
        .header("Retry-After", RateLimiter.retryAfterSeconds(retryMs))
        .header("RateLimit-Policy", limiter.policy())
        .header("RateLimit", state)
        .build();
  }

  Response unavailable(Throwable failure) {
    if (limiter.failsOpen(failure)) {
      return null;
    }
    return Response.fromResponse(
            Problem.response(
                Response.Status.SERVICE_UNAVAILABLE, "Rate limiter unavailable; retry later"))
        .header("Retry-After", limiter.unavailableRetryAfter())
        .build();
  }
}
