package dev.souq.shared.ratelimit;

import dev.souq.shared.security.Trusted;
import dev.souq.shared.session.SessionStore;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.Cookie;
import jakarta.ws.rs.core.Response;
import java.util.List;
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
  private final RatePolicies budgets;
  private final Trusted trusted;

  RateLimitFilter(RateLimiter limiter, RatePolicies budgets, Trusted trusted) {
    this.limiter = limiter;
    this.budgets = budgets;
    this.trusted = trusted;
  }

  @ServerRequestFilter(preMatching = true)
  public Uni<Response> limit(ContainerRequestContext context, HttpServerRequest request) {
    // Operators and services calling each other are not shoppers.
    if (!limiter.enabled() || trusted.caller(context.getHeaderString("Authorization"))) {
      return null;
    }
    // The decoded path routing matches, so no spelling of a route escapes its budget.
    String path = context.getUriInfo().getPath();
    List<RatePolicy> policies = budgets.forRequest(request.method().name(), path);
    String client = RateLimiter.client(request.remoteAddress());
    PendingCheck check = new PendingCheck(limiter, policies.get(0), policies.size());
    context.setProperty(STATE, check);
    for (RatePolicy policy : policies) {
      limiter.check(policy, check.spend(policy, policy.key(clientIn(policy, client, context))));
    }
    if (check.admittedNow()) {
      return null; // answered from the loops' allowances: the request goes on, not suspended
    }
    return check;
  }

  /**
   * Who spends the policy's budget: for a per-session one (orders) the session, so shoppers behind
   * one address each have theirs (a made-up cookie gains nothing: per-ip is spent as well, and the
   * order is 401); else the client address.
   */
  private static String clientIn(
      RatePolicy policy, String client, ContainerRequestContext context) {
    if (policy.perSession()) {
      Cookie session = context.getCookies().get(SessionStore.COOKIE);
      if (session != null && SessionStore.wellFormed(session.getValue())) {
        return "session:" + session.getValue();
      }
    }
    return client;
  }

  @ServerResponseFilter
  public void headers(ContainerRequestContext request, ContainerResponseContext response) {
    if (request.getProperty(STATE) instanceof PendingCheck check) {
      String state = check.admittedState();
      // A refusal by a budget the resource spent itself (a sign-in's account) keeps its headers.
      if (state != null && !response.getHeaders().containsKey("RateLimit-Policy")) {
        response.getHeaders().putSingle("RateLimit-Policy", check.shown().header());
        response.getHeaders().putSingle("RateLimit", state);
      }
    }
  }
}
