package dev.souq.order.rest;

import dev.souq.order.client.OutOfStockException;
import dev.souq.order.service.EmailTakenException;
import dev.souq.order.service.IllegalTransitionException;
import dev.souq.order.service.InvalidOrderException;
import dev.souq.order.service.WrongCredentialsException;
import dev.souq.shared.problem.OutOfStock;
import dev.souq.shared.problem.Problem;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** order-service's own failures, as problem+json. */
public class OrderExceptionMappers {

  @ServerExceptionMapper
  public Response illegalTransition(IllegalTransitionException e) {
    return Problem.response(Response.Status.CONFLICT, e.getMessage());
  }

  @ServerExceptionMapper
  public Response invalidOrder(InvalidOrderException e) {
    return Problem.unprocessable(e.getMessage());
  }

  @ServerExceptionMapper
  public Response outOfStock(OutOfStockException e) {
    return OutOfStock.of(e.productId(), e.available()).toResponse();
  }

  @ServerExceptionMapper
  public Response wrongCredentials(WrongCredentialsException e) {
    return Problem.response(Response.Status.UNAUTHORIZED, e.getMessage());
  }

  @ServerExceptionMapper
  public Response emailTaken(EmailTakenException e) {
    return Problem.response(Response.Status.CONFLICT, e.getMessage());
  }
}
