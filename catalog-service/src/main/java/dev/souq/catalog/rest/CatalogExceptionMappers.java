package dev.souq.catalog.rest;

import dev.souq.catalog.service.DuplicateSkuException;
import dev.souq.shared.problem.Problem;
import jakarta.persistence.OptimisticLockException;
import jakarta.ws.rs.core.Response;
import org.hibernate.StaleStateException;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** The catalog's own conflicts, as problem+json. */
public class CatalogExceptionMappers {

  @ServerExceptionMapper
  public Response duplicateSku(DuplicateSkuException e) {
    return Problem.response(Response.Status.CONFLICT, e.getMessage());
  }

  @ServerExceptionMapper({OptimisticLockException.class, StaleStateException.class})
  public Response concurrentWrite(RuntimeException e) {
    return Problem.response(
        Response.Status.CONFLICT, "The product was changed by another request; retry");
  }
}
