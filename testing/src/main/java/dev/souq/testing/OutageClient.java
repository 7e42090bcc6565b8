package dev.souq.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Sends requests to a service during a simulated outage and checks each answer: a 2xx, a 4xx, or a
 * 503 problem+json with Retry-After; never another 5xx. Every request carries a timeout, so a
 * request that hangs fails the test as {@link HttpTimeoutException} instead of passing slowly.
 */
public final class OutageClient {
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final URI base;
  private final Duration timeout;

  /** {@code base}: the service's root URL; {@code timeout}: the longest any answer may take. */
  public OutageClient(URI base, Duration timeout) {
    this.base = base;
    this.timeout = timeout;
  }

  /** Starts one request; {@code body} null for none; headers as name, value pairs. */
  public CompletableFuture<HttpResponse<String>> send(
      String method, String path, String body, String... headers) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(base.resolve(path))
            .timeout(timeout)
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    for (int i = 0; i + 1 < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** The answer of a request started with {@link #send}; fails the test on a timeout. */
  public static HttpResponse<String> answer(CompletableFuture<HttpResponse<String>> pending) {
    try {
      return pending.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof HttpTimeoutException) {
        fail("A request hung past the client's timeout: " + e.getCause().getMessage());
      }
      throw e;
    }
  }

  /**
   * Asserts that {@code response} is what an outage allows: 2xx, 4xx, or 503 problem+json with a
   * Retry-After in whole seconds. Returns the status.
   */
  public static int assertAllowed(String what, HttpResponse<String> response) {
    int status = response.statusCode();
    if (status == 503) {
      assertUnavailable(what, response);
    } else {
      assertTrue(
          status < 500, what + " answered " + status + " during an outage: " + response.body());
    }
    return status;
  }

  /** Asserts a 503 problem+json with Retry-After, without a stack trace or class name. */
  public static void assertUnavailable(String what, HttpResponse<String> response) {
    assertEquals(503, response.statusCode(), what + ": " + response.body());
    assertEquals(
        "application/problem+json",
        response.headers().firstValue("Content-Type").orElse("").split(";")[0],
        what);
    String retryAfter = response.headers().firstValue("Retry-After").orElse(null);
    assertNotNull(retryAfter, what + " without Retry-After");
    assertTrue(retryAfter.matches("[1-9][0-9]*"), what + " Retry-After: " + retryAfter);
    assertTrue(response.body().contains("\"status\":503"), what + ": " + response.body());
    for (String leak : List.of("Exception", "\tat ", "io.vertx", "org.hibernate")) {
      assertTrue(!response.body().contains(leak), what + " leaks " + leak + ": " + response.body());
    }
  }

  /** Headers that carry the operator token, for {@link #send}. */
  public static String[] admin(String token) {
    return new String[] {"Authorization", "Bearer " + token};
  }

  /** A JSON object body with no nesting, for tests that need a quick one. */
  public static String json(Map<String, ?> fields) {
    StringBuilder out = new StringBuilder("{");
    fields.forEach(
        (name, value) -> {
          if (out.length() > 1) {
            out.append(',');
          }
          out.append('"').append(name).append("\":");
          out.append(value instanceof String s ? '"' + s + '"' : String.valueOf(value));
        });
    return out.append('}').toString();
  }
}
