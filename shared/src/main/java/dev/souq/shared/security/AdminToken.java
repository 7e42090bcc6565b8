package dev.souq.shared.security;

import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** The operator token ({@code SOUQ_ADMIN_TOKEN}) and the one way to check a request against it. */
@ApplicationScoped
public class AdminToken {
  private static final String BEARER = "Bearer ";

  private final Optional<byte[]> token;

  AdminToken(@ConfigProperty(name = "souq.admin-token") Optional<String> token) {
    this.token =
        token.filter(t -> !t.isBlank()).map(t -> t.trim().getBytes(StandardCharsets.UTF_8));
  }

  /** Whether a token is configured at all; without one, operator endpoints stay closed. */
  public boolean configured() {
    return token.isPresent();
  }

  /** Whether the header carries a bearer token. */
  public static boolean isBearer(String authorization) {
    return authorization != null
        && authorization.regionMatches(true, 0, BEARER, 0, BEARER.length());
  }

  /** Whether {@code Authorization} carries the configured token (compared in constant time). */
  public boolean matches(String authorization) {
    if (token.isEmpty() || !isBearer(authorization)) {
      return false;
    }
    byte[] given = authorization.substring(BEARER.length()).trim().getBytes(StandardCharsets.UTF_8);
    return MessageDigest.isEqual(given, token.get());
  }
}
