package dev.souq.testing;

import io.quarkus.test.common.http.TestHTTPResourceManager;
import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;
import java.net.URI;

/**
 * Requests to the service-under-test's management interface, where {@code /q/*} lives (health,
 * metrics, OpenAPI); the public port does not serve them.
 */
public final class Management {
  private Management() {}

  /**
   * A RestAssured request to the management interface of the running @QuarkusTest; paths are
   * absolute ({@code /q/metrics}).
   */
  public static RequestSpecification given() {
    // The test URL names the root path (/q) too: keep only where the interface listens.
    URI url = URI.create(TestHTTPResourceManager.getManagementUri());
    return RestAssured.given().baseUri(url.getScheme() + "://" + url.getAuthority());
  }
}
