package dev.souq.shared.security;

import dev.souq.shared.problem.Problem;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

/** What a guarded endpoint answers a request without the right bearer token. */
final class BearerCheck {
  private BearerCheck() {}

  /**
   * Lets the request through if {@code accepted}; else aborts it: 403 while no operator token is
   * configured (a forgotten secret closes the door rather than opening it), else 401.
   */
  static void require(ContainerRequestContext request, AdminToken admin, boolean accepted) {
    if (accepted) {
      return;
    }
    if (!admin.configured()) {
      request.abortWith(
          Problem.response(
              Response.Status.FORBIDDEN, "Operator endpoints are disabled: no admin token is set"));
      return;
    }
    String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
    request.abortWith(
        unauthorized(
            AdminToken.isBearer(header)
                ? "The bearer token is not valid"
                : "This operator endpoint needs a bearer token"));
  }

  private static Response unauthorized(String detail) {
    Response problem = Problem.response(Response.Status.UNAUTHORIZED, detail);
    problem.getHeaders().add(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"souq\"");
    return problem;
  }
}
