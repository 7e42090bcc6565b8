package dev.souq.order.rest;

import dev.souq.shared.json.JsonMediaType;
import dev.souq.shared.problem.Problem;
import jakarta.ws.rs.core.Response;

/**
 * For a cookie-authenticated POST that changes something without needing a body: only with {@code
 * Content-Type: application/json}, which a page of another site cannot send without a CORS
 * preflight (that Souq does not grant), so a cross-site form cannot make the shopper's browser do
 * it. The type is held to the rule of every JSON body ({@link JsonMediaType}).
 */
final class JsonOnly {
  private JsonOnly() {}

  /** The 415 problem for a request that is not JSON, or null when it is. */
  static Response refusal(String contentType, String request) {
    String refused =
        contentType == null || contentType.isBlank()
            ? request + " needs Content-Type: application/json"
            : JsonMediaType.refusal(contentType);
    return refused == null
        ? null
        : Problem.response(Response.Status.UNSUPPORTED_MEDIA_TYPE, refused);
  }
}
