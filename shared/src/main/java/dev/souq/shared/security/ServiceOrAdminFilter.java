package dev.souq.shared.security;

import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.ext.Provider;

/** Guards {@link ServiceOrAdmin} endpoints: the service token or the operator's. */
@ServiceOrAdmin
@Provider
@Priority(Priorities.AUTHENTICATION)
public class ServiceOrAdminFilter implements ContainerRequestFilter {
  private final AdminToken admin;
  private final Trusted trusted;

  ServiceOrAdminFilter(AdminToken admin, Trusted trusted) {
    this.admin = admin;
    this.trusted = trusted;
  }

  @Override
  public void filter(ContainerRequestContext request) {
    BearerCheck.require(
        request, admin, trusted.caller(request.getHeaderString(HttpHeaders.AUTHORIZATION)));
  }
}
