package dev.souq.shared.security;

import dev.souq.shared.problem.Problem;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Guards {@link AdminOnly} endpoints. With no {@code SOUQ_ADMIN_TOKEN} configured they answer 403:
 * a forgotten secret closes the door rather than opening it.
 */
@AdminOnly
@Provider
@Priority(Priorities.AUTHENTICATION)
public class AdminTokenFilter implements ContainerRequestFilter {
  private static final String BEARER = "Bearer ";

  private final Optional<byte[]> token;

  AdminTokenFilter(@ConfigProperty(name = "souq.admin-token") Optional<String> token) {
    this.token =
        token.filter(t -> !t.isBlank()).map(t -> t.trim().getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public void filter(ContainerRequestContext request) {
    if (token.isEmpty()) {
      request.abortWith(
          Problem.response(
              Response.Status.FORBIDDEN, "Operator endpoints are disabled: no admin token is set"));
      return;
    }
    String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
    if (header == null || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      request.abortWith(unauthorized("This operator endpoint needs a bearer token"));
      return;
    }
    byte[] given = header.substring(BEARER.length()).trim().getBytes(StandardCharsets.UTF_8);
    // Constant-time comparison: the time taken says nothing about how much of the token matched.
    if (!MessageDigest.isEqual(given, token.get())) {
      request.abortWith(unauthorized("The bearer token is not valid"));
    }
  }

  private static Response unauthorized(String detail) {
    Response problem = Problem.response(Response.Status.UNAUTHORIZED, detail);
    problem.getHeaders().add(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"souq\"");
    return problem;
  }
}
