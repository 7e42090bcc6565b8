package dev.souq.shared.security;

import jakarta.enterprise.context.ApplicationScoped;

/** Whether a request comes from an operator or another Souq service, by its bearer token. */
@ApplicationScoped
public class Trusted {
  private final AdminToken admin;
  private final ServiceToken service;

  Trusted(AdminToken admin, ServiceToken service) {
    this.admin = admin;
    this.service = service;
  }

  /** Whether {@code Authorization} carries the operator's or the service token. */
  public boolean caller(String authorization) {
    return AdminToken.isBearer(authorization)
        && (admin.matches(authorization) || service.matches(authorization));
  }
}
