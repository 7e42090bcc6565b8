package dev.souq.order.rest;

import dev.souq.order.service.ShopperSessions;
import dev.souq.shared.problem.Problem;
import dev.souq.shared.session.ActiveSession;
import dev.souq.shared.session.Session;
import dev.souq.shared.session.SessionStore;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Sessions: an opaque id in an HttpOnly cookie, the session itself in Redis. A guest's is made
 * here; an account's by signing in ({@link AccountResource}). A shopper lists and ends their own.
 */
@Path("/api/sessions")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "sessions")
public class SessionResource {
  /** What a client learns about its session; {@code email} is null for a guest. */
  public record SessionInfo(String sessionId, String userId, Instant expiresAt, String email) {
    static SessionInfo of(Session session) {
      return new SessionInfo(
          session.sessionId(), session.userId(), SessionStore.expiresAt(session), session.email());
    }
  }

  /**
   * One of the caller's sessions as listed: {@code id} names it for {@code DELETE} (a digest, not
   * the session's credential).
   */
  public record SessionEntry(
      String id, Instant createdAt, Instant lastUsedAt, String userAgent, boolean current) {
    static SessionEntry of(ActiveSession active, Session current) {
      Session session = active.session();
      return new SessionEntry(
          SessionStore.handle(session.sessionId()),
          session.createdAt(),
          active.lastUsedAt(),
          session.userAgent(),
          session.sessionId().equals(current.sessionId()));
    }
  }

  private final SessionStore store;
  private final Sessions sessions;
  private final ShopperSessions listed;
  private final SessionAnswers answers;

  SessionResource(
      SessionStore store, Sessions sessions, ShopperSessions listed, SessionAnswers answers) {
    this.store = store;
    this.sessions = sessions;
    this.listed = listed;
    this.answers = answers;
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
      @HeaderParam(HttpHeaders.USER_AGENT) String userAgent,
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
                    ? Uni.createFrom().item(answers.handOver(Response.Status.OK, kept))
                    : store
                        .create(userAgent)
                        .map(created -> answers.handOver(Response.Status.CREATED, created)));
  }

  @GET
  @Path("current")
  @Operation(summary = "The current session (renews it)")
  public Uni<SessionInfo> current(@CookieParam(SessionStore.COOKIE) String id) {
    return sessions.require(id).map(SessionInfo::of);
  }

  @DELETE
  @Path("current")
  @Operation(summary = "Sign out: the session ends at once")
  public Uni<Response> logout(@CookieParam(SessionStore.COOKIE) String id) {
    return sessions.require(id).chain(store::delete).map(done -> answers.forgotten());
  }

  @GET
  @Operation(
      summary =
          "My sessions, oldest first (an account's on every device; a guest's only this one),"
              + " the current one marked")
  public Uni<List<SessionEntry>> list(@CookieParam(SessionStore.COOKIE) String id) {
    return sessions
        .require(id)
        .chain(
            current ->
                listed
                    .of(current)
                    .map(all -> all.stream().map(each -> SessionEntry.of(each, current)).toList()));
  }

  @DELETE
  @Path("{id}")
  @Operation(summary = "End one of my sessions (its id as listed); its live connections close")
  public Uni<Response> end(
      @CookieParam(SessionStore.COOKIE) String cookieValue, @PathParam("id") String handle) {
    return sessions
        .require(cookieValue)
        .chain(
            current ->
                listed
                    .end(current, handle)
                    .map(
                        ended -> {
                          if (!ended) {
                            return Problem.response(
                                Response.Status.NOT_FOUND, "You have no session " + handle);
                          }
                          boolean mine = SessionStore.handle(current.sessionId()).equals(handle);
                          return mine ? answers.forgotten() : Response.noContent().build();
                        }));
  }

  @DELETE
  @Operation(summary = "With others=true: end every session of mine but this one")
  public Uni<Response> endOthers(
      @CookieParam(SessionStore.COOKIE) String id, @QueryParam("others") String others) {
    if (!"true".equals(others)) {
      return Uni.createFrom()
          .item(
              Problem.response(
                  Response.Status.BAD_REQUEST,
                  "DELETE /api/sessions ends your other sessions only with ?others=true"));
    }
    return sessions.require(id).chain(listed::endOthers).map(count -> Response.noContent().build());
  }
}
