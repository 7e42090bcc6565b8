package dev.souq.order.rest;

import dev.souq.shared.session.Session;
import dev.souq.shared.session.SessionStore;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.time.Instant;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Guest sessions: an opaque id in an HttpOnly cookie, the session itself in Redis. */
@Path("/api/sessions")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "sessions")
public class SessionResource {
  /** What a client learns about its session. */
  public record SessionInfo(String sessionId, String userId, Instant expiresAt) {
    static SessionInfo of(Session session) {
      return new SessionInfo(session.sessionId(), session.userId(), SessionStore.expiresAt());
    }
  }

  private final SessionStore store;
  private final Sessions sessions;

  SessionResource(SessionStore store, Sessions sessions) {
    this.store = store;
    this.sessions = sessions;
  }

  @POST
  @Operation(summary = "Start a guest session (sets the SOUQ_SESSION cookie)")
  public Uni<Response> create(@Context UriInfo uri) {
    boolean https = "https".equalsIgnoreCase(uri.getRequestUri().getScheme());
    return store
        .create()
        .map(
            session ->
                Response.status(Response.Status.CREATED)
                    .cookie(cookie(session.sessionId(), https, false))
                    .entity(SessionInfo.of(session))
                    .build());
  }

  @GET
  @Path("current")
  @Operation(summary = "The current session (renews it)")
  public Uni<SessionInfo> current(@CookieParam(SessionStore.COOKIE) String id) {
    return sessions.require(id).map(SessionInfo::of);
  }

  @DELETE
  @Path("current")
  @Operation(summary = "Log out: the session ends at once")
  public Uni<Response> logout(@CookieParam(SessionStore.COOKIE) String id, @Context UriInfo uri) {
    boolean https = "https".equalsIgnoreCase(uri.getRequestUri().getScheme());
    return sessions
        .require(id)
        .chain(store::delete)
        .map(done -> Response.noContent().cookie(cookie("", https, true)).build());
  }

  private static NewCookie cookie(String value, boolean secure, boolean expired) {
    NewCookie.Builder cookie =
        new NewCookie.Builder(SessionStore.COOKIE)
            .value(value)
            .path("/")
            .httpOnly(true)
            .secure(secure)
            .sameSite(NewCookie.SameSite.LAX);
    return expired ? cookie.maxAge(0).build() : cookie.build();
  }
}
