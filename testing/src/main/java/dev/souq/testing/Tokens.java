package dev.souq.testing;

/**
 * The tokens the services have under test: {@code %test.souq.admin-token} and {@code
 * %test.souq.service-token} in each service's application.properties, and what {@link Replicas}
 * gives packaged ones.
 */
public final class Tokens {
  public static final String ADMIN = "test-admin-token-not-for-production-use";
  public static final String SERVICE = "test-service-token-not-for-production-use";
  public static final String ADMIN_BEARER = "Bearer " + ADMIN;
  public static final String SERVICE_BEARER = "Bearer " + SERVICE;

  private Tokens() {}
}
