package dev.souq.shared.problem;

import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * A server the request needs is away, as its caller already knew: 503 with Retry-After. Outages
 * that arrive as driver or network exceptions reach {@link ProblemMappers#unexpected} and are
 * answered by the same {@link Outages}.
 */
public class UnavailableMapper {
  private final Outages outages;

  UnavailableMapper(Outages outages) {
    this.outages = outages;
  }

  @ServerExceptionMapper
  public Response unavailable(DependencyUnavailableException e) {
    return outages.answer(e.dependency(), e);
  }
}
