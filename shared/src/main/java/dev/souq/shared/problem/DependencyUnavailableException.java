package dev.souq.shared.problem;

/**
 * Thrown where code already knows that a server it needs did not answer (a circuit open, a call
 * timed out): answered 503 with Retry-After like any other outage, with this client-safe message.
 */
public class DependencyUnavailableException extends RuntimeException {
  private final String dependency;

  /** {@code dependency} names the server in logs; {@code message} is what the client reads. */
  public DependencyUnavailableException(String dependency, String message) {
    super(message);
    this.dependency = dependency;
  }

  /** The server that is away, e.g. {@code catalog-service}: one log budget per name. */
  public String dependency() {
    return dependency;
  }
}
