package dev.souq.shared.security;

import dev.souq.shared.problem.Problem;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;

/**
 * Guards {@link AdminOnly} endpoints. With no {@code SOUQ_ADMIN_TOKEN} configured they answer 403:
 * a forgotten secret closes the door rather than opening it.
 */
@AdminOnly
@Provider
@Priority(Priorities.AUTHENTICATION)
public class AdminTokenFilter implements ContainerRequestFilter {
  private final AdminToken token;

  AdminTokenFilter(AdminToken token) {
    this.token = token;
  }

  @Override
  public void filter(ContainerRequestContext request) {
    if (!token.configured()) {
      request.abortWith(
          Problem.response(
              Response.Status.FORBIDDEN, "Operator endpoints are disabled: no admin token is set"));
      return;
    }
    String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
    if (!AdminToken.isBearer(header)) {
      request.abortWith(unauthorized("This operator endpoint needs a bearer token"));
    } else if (!token.matches(header)) {
      request.abortWith(unauthorized("The bearer token is not valid"));
    }
  }

  private static Response unauthorized(String detail) {
    Response problem = Problem.response(Response.Status.UNAUTHORIZED, detail);
    problem.getHeaders().add(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"souq\"");
    return problem;
  }
}
