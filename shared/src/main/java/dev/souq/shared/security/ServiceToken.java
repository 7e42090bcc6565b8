package dev.souq.shared.security;

import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The token Souq's services call each other with ({@code SOUQ_SERVICE_TOKEN}), apart from the
 * operator's: it opens only the routes services need ({@link ServiceOrAdmin}) and passes the rate
 * limiter, so a leaked copy from any pod cannot run the shop. At least 32 characters, checked at
 * start-up.
 */
@Startup
@ApplicationScoped
public class ServiceToken {
  private final BearerToken token;

  ServiceToken(
      @ConfigProperty(name = "souq.service-token") Optional<String> token,
      @ConfigProperty(name = "souq.admin-token") Optional<String> admin) {
    this.token = BearerToken.of("SOUQ_SERVICE_TOKEN", token);
    if (token.isPresent() && token.map(String::trim).equals(admin.map(String::trim))) {
      // Equal, the service token would open every operator endpoint.
      throw new IllegalStateException("SOUQ_SERVICE_TOKEN must differ from SOUQ_ADMIN_TOKEN");
    }
  }

  /** The {@code Authorization} header for a call to another Souq service; null without a token. */
  public String authorization() {
    return token.authorization();
  }

  /** Whether {@code Authorization} carries the service token (compared in constant time). */
  public boolean matches(String authorization) {
    return token.matches(authorization);
  }
}
