package dev.souq.catalog.rest;

import dev.souq.catalog.service.DuplicateSkuException;
import dev.souq.catalog.service.OutOfStockException;
import dev.souq.catalog.service.ReleasedPlacementException;
import dev.souq.catalog.service.TooMuchStockException;
import dev.souq.catalog.service.UnorderableLinesException;
import dev.souq.shared.problem.OutOfStock;
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

  @ServerExceptionMapper
  public Response outOfStock(OutOfStockException e) {
    return OutOfStock.of(e.productId(), e.available()).toResponse();
  }

  @ServerExceptionMapper
  public Response unorderable(UnorderableLinesException e) {
    return Problem.unprocessable(e.getMessage());
  }

  @ServerExceptionMapper
  public Response tooMuchStock(TooMuchStockException e) {
    return Problem.unprocessable(e.getMessage());
  }

  @ServerExceptionMapper
  public Response released(ReleasedPlacementException e) {
    return Problem.response(Response.Status.GONE, e.getMessage());
  }

  @ServerExceptionMapper({OptimisticLockException.class, StaleStateException.class})
  public Response concurrentWrite(RuntimeException e) {
    return Problem.response(
        Response.Status.CONFLICT, "The product was changed by another request; retry");
  }
}
