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

  /**
   * The value of a series on the management interface at {@code management}, as {@code /q/metrics}
   * shows it now: an unlabelled gauge or counter ({@code souq_ws_connections}), or one series
   * written with its labels ({@code souq_payments_total{outcome="refunded"}}); -1 if it has none.
   */
  public static double metric(URI management, String series) {
    return value(
        RestAssured.given().baseUri(management.toString()).get("/q/metrics").asString(), series);
  }

  /** The same for the running @QuarkusTest's own management interface. */
  public static double metric(String series) {
    return value(given().get("/q/metrics").asString(), series);
  }

  private static double value(String metrics, String series) {
    for (String line : metrics.split("\n")) {
      if (line.startsWith(series + " ")) {
        return Double.parseDouble(line.substring(series.length() + 1));
      }
    }
    return -1;
  }
}
