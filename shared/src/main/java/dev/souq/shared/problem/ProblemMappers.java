package dev.souq.shared.problem;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.InvalidDefinitionException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.quarkus.logging.Log;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Turns every error a REST endpoint can meet into RFC 9457 problem+json, one mapper per kind. No
 * stack trace, class name or internal message ever reaches a client.
 */
public class ProblemMappers {
  private final Outages outages;

  ProblemMappers(Outages outages) {
    this.outages = outages;
  }

  /** Bean Validation: 400 listing each invalid field. */
  @ServerExceptionMapper
  public Response invalid(ConstraintViolationException e) {
    List<Problem.FieldError> errors =
        e.getConstraintViolations().stream()
            .map(v -> new Problem.FieldError(field(v), v.getMessage()))
            .sorted(Comparator.comparing(Problem.FieldError::field))
            .toList();
    return new Problem(
            "about:blank",
            "Bad Request",
            400,
            "The request is invalid: "
                + errors.stream()
                    .map(err -> err.field() + " " + err.message())
                    .collect(Collectors.joining("; ")),
            errors)
        .toResponse();
  }

  /**
   * Unreadable or refused JSON ({@code dev.souq.shared.json.StrictJson}): 400 that says where and
   * why, in the client's own field names. The subtypes are named so that this mapper wins over
   * quarkus-rest-jackson's built-in ones, which answer plain JSON.
   */
  @ServerExceptionMapper({
    JsonProcessingException.class,
    JsonParseException.class,
    MismatchedInputException.class,
    InvalidFormatException.class,
    UnrecognizedPropertyException.class
  })
  public Response unreadable(JsonProcessingException e) {
    return JsonProblems.of(e).toResponse();
  }

  /**
   * A Jackson definition error is our bug, not the client's: a 500 with a reference like any other.
   * Named so that quarkus-rest-jackson's built-in mapper, which answers 500 with an empty body,
   * does not take it.
   */
  @ServerExceptionMapper
  public Response undeserializable(InvalidDefinitionException e) {
    return unexpected(e);
  }

  /** What JAX-RS itself raises (404, 405, 406, 415, …) and what resources throw on purpose. */
  @ServerExceptionMapper
  public Response http(WebApplicationException e) {
    // quarkus-rest-jackson wraps some parse errors in a bare 400: say what was wrong instead.
    if (e.getResponse().getStatus() == 400
        && e.getCause() instanceof JsonProcessingException json) {
      return unreadable(json);
    }
    Response.StatusType status = e.getResponse().getStatusInfo();
    if (status.getStatusCode() >= 500) {
      return unexpected(e);
    }
    Response problem = Problem.of(status, e.getMessage()).toResponse();
    // Keep headers such as Allow, Retry-After or WWW-Authenticate that the thrower set.
    e.getResponse()
        .getHeaders()
        .forEach(
            (name, values) -> {
              if (!name.equalsIgnoreCase("Content-Type")) {
                values.forEach(v -> problem.getHeaders().add(name, v));
              }
            });
    return problem;
  }

  /**
   * A server we depend on being away is not a bug: 503 with Retry-After (see {@link Outages}).
   * Anything else is our fault: 500 with an id to find the logged cause, nothing more.
   */
  @ServerExceptionMapper
  public Response unexpected(Throwable e) {
    Optional<Response> unavailable = outages.answer(e);
    if (unavailable.isPresent()) {
      return unavailable.get();
    }
    String id = UUID.randomUUID().toString();
    Log.errorf(e, "Unhandled error %s", id);
    return Problem.response(
        Response.Status.INTERNAL_SERVER_ERROR, "Unexpected error; reference " + id);
  }

  private static String field(ConstraintViolation<?> violation) {
    // "create.input.priceCents" -> "price_cents": the client's name for the field.
    String path = violation.getPropertyPath().toString();
    String last = path.substring(path.lastIndexOf('.') + 1);
    return last.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase();
  }
}
