package dev.souq.shared.problem;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** How a request is answered while a server it needs is away ({@code SOUQ_UNAVAILABLE_*}). */
@ConfigMapping(prefix = "souq.unavailable")
public interface UnavailableConfig {
  /** Sent as Retry-After (whole seconds, at least 1) with every 503 for an outage. */
  @WithDefault("5s")
  Duration retryAfter();

  /** At most one WARN line per server in this interval; the line counts those left out. */
  @WithDefault("10s")
  Duration logInterval();
}
