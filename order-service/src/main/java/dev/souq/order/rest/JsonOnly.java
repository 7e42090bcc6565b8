package dev.souq.order.rest;

import dev.souq.shared.problem.Problem;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * For a cookie-authenticated POST that changes something without needing a body: only with {@code
 * Content-Type: application/json}, which a page of another site cannot send without a CORS
 * preflight (that Souq does not grant), so a cross-site form cannot make the shopper's browser do
 * it.
 */
final class JsonOnly {
  private JsonOnly() {}

  /** The 415 problem for a request that is not JSON, or null when it is. */
  static Response refusal(String contentType, String request) {
    return isJson(contentType)
        ? null
        : Problem.response(
            Response.Status.UNSUPPORTED_MEDIA_TYPE,
            request + " needs Content-Type: application/json");
  }

  private static boolean isJson(String contentType) {
    if (contentType == null) {
      return false;
    }
    try {
      return MediaType.valueOf(contentType).isCompatible(MediaType.APPLICATION_JSON_TYPE);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
