package dev.souq.notification.live;

import dev.souq.notification.config.NotificationConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.websockets.next.HttpUpgradeCheck;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Refuses (403) a WebSocket upgrade whose {@code Origin} is not allowed, so that a page on another
 * site cannot open {@code /ws/orders} with a shopper's cookie and read their orders (cross-site
 * WebSocket hijacking: SameSite=Lax does not cover sibling subdomains or every browser). Allowed
 * are the origins in {@code SOUQ_ALLOWED_ORIGINS}, or, when none are set, the request's own host.
 * An upgrade without {@code Origin} passes: browsers always send one, other clients need not.
 */
@ApplicationScoped
@Priority(OriginCheck.PRIORITY)
class OriginCheck implements HttpUpgradeCheck {
  /**
   * Upgrade checks run highest priority first: the Origin before {@link UpgradeBudget} takes a slot
   * or spends the client's rate budget on an upgrade that is refused anyway.
   */
  static final int PRIORITY = 200;

  private static final Uni<CheckResult> PERMIT = CheckResult.permitUpgrade();
  private static final Uni<CheckResult> FORBID = CheckResult.rejectUpgrade(403);

  private final Set<String> allowed;
  private final Counter refused;

  OriginCheck(NotificationConfig config, MeterRegistry registry) {
    this.allowed =
        config.allowedOrigins().orElse(List.of()).stream()
            .map(OriginCheck::configured)
            .collect(Collectors.toUnmodifiableSet());
    this.refused = registry.counter("souq.ws.origin_refused");
  }

  @Override
  public Uni<CheckResult> perform(HttpUpgradeContext context) {
    HttpServerRequest request = context.httpRequest();
    String origin = request.getHeader("Origin");
    if (origin == null || allows(origin, request)) {
      return PERMIT;
    }
    refused.increment();
    Log.debugf("WebSocket upgrade from origin %s refused", origin);
    return FORBID;
  }

  /**
   * Whether a page may open {@code /sse/orders} with this request: an allowed {@code Origin}, or
   * none from a client that is no browser or a page of the same origin ({@code Sec-Fetch-Site}). A
   * sibling subdomain's no-cors request carries the shopper's cookie but no {@code Origin}: without
   * this it could hold the shopper's connection slots, though it cannot read the stream.
   */
  boolean admits(HttpServerRequest request) {
    String origin = request.getHeader("Origin");
    String site = request.getHeader("Sec-Fetch-Site");
    boolean admitted =
        origin != null
            ? allows(origin, request)
            : site == null || "same-origin".equals(site) || "none".equals(site);
    if (!admitted) {
      refused.increment();
    }
    return admitted;
  }

  private boolean allows(String origin, HttpServerRequest request) {
    String mine = normalised(origin);
    if (!allowed.isEmpty()) {
      return allowed.contains(mine);
    }
    if (mine == null) {
      return false;
    }
    // Same host: the origin's host and port are those the browser sent the upgrade to. The raw
    // Host header (Quarkus' proxy handling rewrites the authority's port from X-Forwarded-Proto),
    // or the X-Forwarded-Host of a proxy that rewrites Host: a page cannot set either on a
    // WebSocket handshake.
    String scheme = mine.substring(0, mine.indexOf(':'));
    return sameHost(mine, scheme, request.getHeader("Host"))
        || sameHost(mine, scheme, request.getHeader("X-Forwarded-Host"));
  }

  private static boolean sameHost(String origin, String scheme, String hostHeader) {
    if (hostHeader == null || hostHeader.isBlank()) {
      return false;
    }
    int comma = hostHeader.indexOf(',');
    String first = (comma < 0 ? hostHeader : hostHeader.substring(0, comma)).trim();
    return origin.equals(normalised(scheme + "://" + first));
  }

  private static String configured(String origin) {
    String normalised = normalised(origin);
    if (normalised == null) {
      throw new IllegalArgumentException(
          "SOUQ_ALLOWED_ORIGINS: '" + origin + "' is not an origin like https://shop.example.com");
    }
    return normalised;
  }

  /** {@code scheme://host[:port]} in lower case, the default port left out; null if malformed. */
  static String normalised(String origin) {
    try {
      URI uri = new URI(origin.trim());
      String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
      if (uri.getHost() == null || !("http".equals(scheme) || "https".equals(scheme))) {
        return null; // "null" (sandboxed frames, files) and anything that is not a web origin
      }
      int port = uri.getPort();
      String host = uri.getHost().toLowerCase(Locale.ROOT);
      return scheme + "://" + host + (port == -1 || port == defaultPort(scheme) ? "" : ":" + port);
    } catch (java.net.URISyntaxException malformed) {
      return null;
    }
  }

  private static int defaultPort(String scheme) {
    return "https".equals(scheme) ? 443 : 80;
  }
}
