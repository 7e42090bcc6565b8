package dev.souq.shared.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.StringJoiner;

/** Builds the Redis connection string from {@code REDIS_URL}, or from its host/port parts. */
public final class RedisUrl {
  private RedisUrl() {}

  /** Checks a {@code redis://} or {@code rediss://} URL and returns it unchanged. */
  public static String fromUrl(String variable, String value) {
    URI uri;
    try {
      uri = new URI(value.trim());
    } catch (URISyntaxException e) {
      throw DatabaseUrl.invalid(variable, value, "it is not a URL");
    }
    if (!"redis".equals(uri.getScheme()) && !"rediss".equals(uri.getScheme())) {
      throw DatabaseUrl.invalid(variable, value, "the scheme must be redis:// or rediss://");
    }
    if (uri.getHost() == null || uri.getHost().isBlank()) {
      throw DatabaseUrl.invalid(variable, value, "it names no host");
    }
    return value.trim();
  }

  /** {@code REDIS_HOST} + {@code REDIS_PORT} (+ {@code REDIS_PASSWORD}) as one URL. */
  public static String fromParts(String host, Optional<String> port, Optional<String> password) {
    if (host.isBlank() || host.contains("/") || host.contains("@")) {
      throw new IllegalArgumentException("REDIS_HOST is invalid: it must be a bare host name");
    }
    String portValue = port.map(String::trim).orElse("6379");
    try {
      int p = Integer.parseInt(portValue);
      if (p < 1 || p > 65535) {
        throw new NumberFormatException();
      }
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "REDIS_PORT is invalid: '" + portValue + "' is not a port number");
    }
    String auth =
        password
            .filter(pw -> !pw.isEmpty())
            .map(pw -> ":" + URLEncoder.encode(pw, StandardCharsets.UTF_8) + "@")
            .orElse("");
    return "redis://" + auth + host.trim() + ":" + portValue;
  }

  /**
   * A comma-separated list of nodes ({@code host:port}, or {@code redis://}/{@code rediss://} URLs)
   * as the URLs quarkus-redis-client takes in {@code quarkus.redis.hosts}.
   */
  public static String fromList(String variable, String value, int defaultPort) {
    StringJoiner urls = new StringJoiner(",");
    for (String node : value.split(",")) {
      String trimmed = node.trim();
      if (trimmed.isEmpty()) {
        continue;
      }
      String url = trimmed.contains("://") ? trimmed : "redis://" + trimmed;
      URI uri;
      try {
        uri = new URI(url);
      } catch (URISyntaxException e) {
        // Masked with its scheme: a bare ":secret@host" entry must not show its password either.
        throw DatabaseUrl.invalid(
            variable, url, "'" + Secrets.maskUserInfo(url) + "' is not host:port");
      }
      fromUrl(variable, url);
      if (uri.getPort() == -1) {
        String auth = uri.getRawUserInfo() == null ? "" : uri.getRawUserInfo() + "@";
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        url = uri.getScheme() + "://" + auth + uri.getHost() + ":" + defaultPort + path;
      }
      urls.add(url);
    }
    if (urls.length() == 0) {
      throw DatabaseUrl.invalid(variable, value, "it names no node");
    }
    return urls.toString();
  }
}
