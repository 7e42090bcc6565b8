package dev.souq.shared.security;

import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.ext.Provider;

/** Guards {@link AdminOnly} endpoints: the operator token only. */
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
    BearerCheck.require(
        request, token, token.matches(request.getHeaderString(HttpHeaders.AUTHORIZATION)));
  }
}
