package dev.souq.shared.security;

import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The operator token ({@code SOUQ_ADMIN_TOKEN}): what a person uses on operator endpoints. Checked
 * at start-up: a service with a token shorter than 32 characters does not start.
 */
@Startup
@ApplicationScoped
public class AdminToken {
  private final BearerToken token;

  AdminToken(@ConfigProperty(name = "souq.admin-token") Optional<String> token) {
    this.token = BearerToken.of("SOUQ_ADMIN_TOKEN", token);
  }

  /** Whether a token is configured at all; without one, operator endpoints stay closed. */
  public boolean configured() {
    return token.configured();
  }

  /** Whether the header carries a bearer token. */
  public static boolean isBearer(String authorization) {
    return BearerToken.isBearer(authorization);
  }

  /** Whether {@code Authorization} carries the operator token (compared in constant time). */
  public boolean matches(String authorization) {
    return token.matches(authorization);
  }
}
