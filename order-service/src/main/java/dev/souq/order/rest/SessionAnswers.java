package dev.souq.order.rest;

import dev.souq.order.rest.SessionResource.SessionInfo;
import dev.souq.shared.session.Session;
import dev.souq.shared.session.SessionStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The answers that hand a client its session or take it away, through the session cookie: HttpOnly,
 * SameSite=Lax, Secure by configuration (SOUQ_COOKIE_SECURE), not by the scheme a proxy may have
 * stripped.
 */
@ApplicationScoped
class SessionAnswers {
  private final boolean secure;

  SessionAnswers(
      @ConfigProperty(name = "souq.session.cookie-secure", defaultValue = "true") boolean secure) {
    this.secure = secure;
  }

  /** Hands the client this session: its cookie, and what it may know of it. */
  Response handOver(Response.Status status, Session session) {
    return Response.status(status)
        .cookie(builder(session.sessionId()).build())
        .entity(SessionInfo.of(session))
        .build();
  }

  /** 204, and the browser forgets its session. */
  Response forgotten() {
    return Response.noContent().cookie(builder("").maxAge(0).build()).build();
  }

  private NewCookie.Builder builder(String value) {
    return new NewCookie.Builder(SessionStore.COOKIE)
        .value(value)
        .path("/")
        .httpOnly(true)
        .secure(secure)
        .sameSite(NewCookie.SameSite.LAX);
  }
}
