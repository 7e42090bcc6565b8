package dev.souq.shared.problem;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.ws.rs.core.Response;
import java.util.List;

/**
 * An RFC 9457 problem detail, the body of every Souq error. {@code errors} lists the fields that
 * failed validation.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Problem(
    String type, String title, int status, String detail, List<FieldError> errors) {

  /** The media type of every error response. */
  public static final String MEDIA_TYPE = "application/problem+json";

  /** One invalid input field: where it is and what is wrong with it. */
  public record FieldError(String field, String message) {}

  /** A problem without field errors; {@code type} is about:blank, as RFC 9457 allows. */
  public static Problem of(Response.StatusType status, String detail) {
    return new Problem(
        "about:blank", status.getReasonPhrase(), status.getStatusCode(), detail, List.of());
  }

  /** The HTTP response carrying this problem. */
  public Response toResponse() {
    return Response.status(status).type(MEDIA_TYPE).entity(this).build();
  }

  /**
   * This problem as JSON text, for an answer written without JAX-RS's writers (a typed or a raw
   * Vert.x response).
   */
  public String toJson(ObjectMapper json) {
    try {
      return json.writeValueAsString(this);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("A problem of plain strings did not encode", e);
    }
  }

  /** Shorthand for {@code of(status, detail).toResponse()}. */
  public static Response response(Response.Status status, String detail) {
    return of(status, detail).toResponse();
  }

  /** 422: the request is well-formed but names something that cannot be done. */
  public static Response unprocessable(String detail) {
    return new Problem("about:blank", "Unprocessable Content", 422, detail, List.of()).toResponse();
  }
}
