package dev.souq.shared.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * A shared secret sent as {@code Authorization: Bearer <token>}: the one way to check a header
 * against it (in constant time) and to send it. A configured token shorter than {@link #MIN_LENGTH}
 * is refused, so a guessable one never reaches production.
 */
final class BearerToken {
  /** The shortest token accepted: 32 characters (e.g. {@code openssl rand -base64 32}). */
  static final int MIN_LENGTH = 32;

  private static final String BEARER = "Bearer ";

  private final byte[] token;
  private final String authorization;

  private BearerToken(String token) {
    this.token = token == null ? null : token.getBytes(StandardCharsets.UTF_8);
    this.authorization = token == null ? null : BEARER + token;
  }

  /**
   * The token configured as {@code env} (blank counts as none).
   *
   * @throws IllegalStateException if it is shorter than {@link #MIN_LENGTH}
   */
  static BearerToken of(String env, Optional<String> configured) {
    String token = configured.map(String::trim).filter(t -> !t.isEmpty()).orElse(null);
    if (token != null && token.length() < MIN_LENGTH) {
      throw new IllegalStateException(
          env
              + " is "
              + token.length()
              + " characters long; at least "
              + MIN_LENGTH
              + " are required (generate one with: openssl rand -base64 32)");
    }
    return new BearerToken(token);
  }

  boolean configured() {
    return token != null;
  }

  /** The header that carries this token; null without one. */
  String authorization() {
    return authorization;
  }

  /** Whether the header carries a bearer token. */
  static boolean isBearer(String authorization) {
    return authorization != null
        && authorization.regionMatches(true, 0, BEARER, 0, BEARER.length());
  }

  /** Whether {@code authorization} carries this token (compared in constant time). */
  boolean matches(String authorization) {
    if (token == null || !isBearer(authorization)) {
      return false;
    }
    byte[] given = authorization.substring(BEARER.length()).trim().getBytes(StandardCharsets.UTF_8);
    return MessageDigest.isEqual(given, token);
  }
}
