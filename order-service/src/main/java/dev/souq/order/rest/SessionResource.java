package dev.souq.order.rest;

import dev.souq.shared.session.Session;
import dev.souq.shared.session.SessionStore;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import org.eclipse.microprofile.config.inject.ConfigProperty;
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
  private final boolean secureCookie;

  SessionResource(
      SessionStore store,
      Sessions sessions,
      @ConfigProperty(name = "souq.session.cookie-secure", defaultValue = "true")
          boolean secureCookie) {
    this.store = store;
    this.sessions = sessions;
    this.secureCookie = secureCookie;
  }

  /**
   * Only as JSON ({@link JsonOnly}): a cross-site form post cannot replace the shopper's session. A
   * caller that still has a valid session keeps it (200), cart and all.
   */
  @POST
  @Operation(
      summary =
          "Start a guest session (sets the SOUQ_SESSION cookie), or keep the valid one the caller"
              + " has")
  public Uni<Response> create(
      @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
      @CookieParam(SessionStore.COOKIE) String current) {
    Response refused = JsonOnly.refusal(contentType, "POST /api/sessions");
    if (refused != null) {
      return Uni.createFrom().item(refused);
    }
    return store
        .find(current)
        .chain(
            kept ->
                kept != null
                    ? Uni.createFrom().item(answer(Response.Status.OK, kept))
                    : store.create().map(created -> answer(Response.Status.CREATED, created)));
  }

  private Response answer(Response.Status status, Session session) {
    return Response.status(status)
        .cookie(cookie(session.sessionId(), false))
        .entity(SessionInfo.of(session))
        .build();
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
  public Uni<Response> logout(@CookieParam(SessionStore.COOKIE) String id) {
    return sessions
        .require(id)
        .chain(store::delete)
        .map(done -> Response.noContent().cookie(cookie("", true)).build());
  }

  /** Secure by configuration (SOUQ_COOKIE_SECURE), not by the scheme a proxy may have stripped. */
  private NewCookie cookie(String value, boolean expired) {
    NewCookie.Builder cookie =
        new NewCookie.Builder(SessionStore.COOKIE)
            .value(value)
            .path("/")
            .httpOnly(true)
            .secure(secureCookie)
            .sameSite(NewCookie.SameSite.LAX);
    return expired ? cookie.maxAge(0).build() : cookie.build();
  }
}
