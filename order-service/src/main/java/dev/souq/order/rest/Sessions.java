package dev.souq.order.rest;

import dev.souq.shared.problem.Problem;
import dev.souq.shared.session.Session;
import dev.souq.shared.session.SessionStore;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;

/** Resolves the caller's session from its cookie, or answers 401. */
@ApplicationScoped
class Sessions {
  private final SessionStore store;

  Sessions(SessionStore store) {
    this.store = store;
  }

  /** The live session named by the cookie (its TTL renewed), else a 401 problem. */
  Uni<Session> require(String cookie) {
    return store.find(cookie).onItem().ifNull().failWith(Sessions::noSession);
  }

  /** Writes the changed session, else a 401 problem if it ended since it was read. */
  Uni<Session> update(Session session) {
    return store
        .update(session)
        .onItem()
        .transform(
            written -> {
              if (!written) {
                throw noSession();
              }
              return session;
            });
  }

  private static WebApplicationException noSession() {
    return new WebApplicationException(
        Problem.response(
            Response.Status.UNAUTHORIZED, "No valid session: create one with POST /api/sessions"));
  }
}
