package dev.souq.shared.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * A {@code DATABASE_URL} as Heroku, Railway and most PaaS give it ({@code
 * postgresql://user:pass@host:5432/db?sslmode=require}), split into what Quarkus needs.
 */
public record DatabaseUrl(
    String host,
    int port,
    String database,
    Optional<String> user,
    Optional<String> password,
    Optional<String> query) {

  /** Parses the URL; the exception message names the variable and never contains the password. */
  public static DatabaseUrl parse(String variable, String value) {
    URI uri;
    try {
      uri = new URI(value.trim());
    } catch (URISyntaxException e) {
      throw invalid(variable, value, "it is not a URL");
    }
    String scheme = uri.getScheme();
    if (!"postgresql".equals(scheme) && !"postgres".equals(scheme)) {
      throw invalid(variable, value, "the scheme must be postgresql:// or postgres://");
    }
    if (uri.getHost() == null || uri.getHost().isBlank()) {
      throw invalid(variable, value, "it names no host");
    }
    String path = uri.getRawPath() == null ? "" : uri.getRawPath().replaceFirst("^/", "");
    if (path.isBlank() || path.contains("/")) {
      throw invalid(variable, value, "it names no database (…/dbname)");
    }
    Optional<String> user = Optional.empty();
    Optional<String> password = Optional.empty();
    if (uri.getRawUserInfo() != null) {
      String[] parts = uri.getRawUserInfo().split(":", 2);
      user = Optional.of(decode(parts[0])).filter(s -> !s.isEmpty());
      password = parts.length > 1 ? Optional.of(decode(parts[1])) : Optional.empty();
    }
    int port = uri.getPort() == -1 ? 5432 : uri.getPort();
    return new DatabaseUrl(
        uri.getHost(), port, decode(path), user, password, Optional.ofNullable(uri.getRawQuery()));
  }

  /** The URL for the Vert.x reactive PostgreSQL client. */
  public String reactiveUrl() {
    return "postgresql://"
        + host
        + ":"
        + port
        + "/"
        + database
        + query.map(q -> "?" + q).orElse("");
  }

  /** The URL for the JDBC driver (Flyway's migrations). */
  public String jdbcUrl() {
    return "jdbc:" + reactiveUrl();
  }

  private static String decode(String raw) {
    return URLDecoder.decode(raw, StandardCharsets.UTF_8);
  }

  static IllegalArgumentException invalid(String variable, String value, String why) {
    return new IllegalArgumentException(
        variable + " is invalid (" + why + "): " + Secrets.maskUserInfo(value));
  }
}
