package dev.souq.shared.json;

import dev.souq.shared.problem.Problem;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.MatrixParam;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * The media type rules of every endpoint that takes a JSON body, checked before the body is read.
 * JAX-RS alone lets a wildcard type, a missing Content-Type and any charset through to Jackson,
 * which then guesses. Here: a body must say {@code application/json}, with no charset or UTF-8
 * ({@link JsonMediaType}), else 415; an endpoint whose body is {@code @NotNull} gets 400 without
 * one.
 */
public class JsonBodyFilter {
  private static final Set<Class<? extends Annotation>> NOT_THE_BODY =
      Set.of(
          PathParam.class,
          QueryParam.class,
          HeaderParam.class,
          CookieParam.class,
          MatrixParam.class,
          FormParam.class,
          BeanParam.class,
          Context.class);

  // Per resource method, worked out once: this filter runs on every request.
  private final Map<Method, Boolean> takesJson = new ConcurrentHashMap<>();
  private final Map<Method, Boolean> bodyRequired = new ConcurrentHashMap<>();

  /** Runs after the operator token check, so a caller without one learns nothing more. */
  @ServerRequestFilter(priority = Priorities.HEADER_DECORATOR)
  public Response check(ContainerRequestContext request, ResourceInfo resource) {
    Method method = resource.getResourceMethod();
    if (method == null
        || !takesJson.computeIfAbsent(method, m -> consumesJson(m, resource.getResourceClass()))) {
      return null;
    }
    boolean hasBody = hasBody(request);
    String header = request.getHeaderString(HttpHeaders.CONTENT_TYPE);
    if (header == null || header.isBlank()) {
      return hasBody ? unsupported("A body needs Content-Type: application/json") : noBody(method);
    }
    String refused = JsonMediaType.refusal(header);
    if (refused != null) {
      return unsupported(refused);
    }
    return hasBody ? null : noBody(method);
  }

  private Response noBody(Method method) {
    return bodyRequired.computeIfAbsent(method, JsonBodyFilter::requiresBody)
        ? Problem.response(Response.Status.BAD_REQUEST, "The request needs a JSON body")
        : null;
  }

  private static boolean consumesJson(Method method, Class<?> resource) {
    Consumes consumes = method.getAnnotation(Consumes.class);
    if (consumes == null && resource != null) {
      consumes = resource.getAnnotation(Consumes.class);
    }
    if (consumes == null) {
      return false;
    }
    for (String value : consumes.value()) {
      if (value.startsWith(MediaType.APPLICATION_JSON)) {
        return true;
      }
    }
    return false;
  }

  private static boolean hasBody(ContainerRequestContext request) {
    if (request.getHeaderString("Transfer-Encoding") != null) {
      return true;
    }
    String length = request.getHeaderString(HttpHeaders.CONTENT_LENGTH);
    return length != null && !length.isBlank() && !length.trim().equals("0");
  }

  /** Whether the entity parameter (the one without a JAX-RS annotation) is {@code @NotNull}. */
  private static boolean requiresBody(Method method) {
    for (Annotation[] annotations : method.getParameterAnnotations()) {
      boolean entity = true;
      boolean notNull = false;
      for (Annotation annotation : annotations) {
        entity &= !NOT_THE_BODY.contains(annotation.annotationType());
        notNull |= annotation.annotationType() == NotNull.class;
      }
      if (entity && notNull) {
        return true;
      }
    }
    return false;
  }

  private static Response unsupported(String detail) {
    return Problem.response(Response.Status.UNSUPPORTED_MEDIA_TYPE, detail);
  }
}
