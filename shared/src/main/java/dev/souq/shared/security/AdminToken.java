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
  private final String authorization;

  AdminToken(@ConfigProperty(name = "souq.admin-token") Optional<String> token) {
    Optional<String> trimmed = token.filter(t -> !t.isBlank()).map(String::trim);
    this.token = trimmed.map(t -> t.getBytes(StandardCharsets.UTF_8));
    this.authorization = trimmed.map(t -> BEARER + t).orElse(null);
  }

  /**
   * The {@code Authorization} header for calls to another Souq service's operator API (and past its
   * rate limiter); null without a token.
   */
  public String authorization() {
    return authorization;
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
