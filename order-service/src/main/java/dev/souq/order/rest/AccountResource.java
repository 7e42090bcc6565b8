package dev.souq.order.rest;

import dev.souq.order.Credentials;
import dev.souq.order.service.Accounts;
import dev.souq.order.service.Passwords;
import dev.souq.shared.problem.Problem;
import dev.souq.shared.ratelimit.RateLimiter;
import dev.souq.shared.session.Session;
import dev.souq.shared.session.SessionStore;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.function.Function;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Sign-up and sign-in with email and password. Both answer with a new session (cookie and {@link
 * SessionResource.SessionInfo}) into which the caller's guest cart and orders have moved. Their
 * route has its own budget per client address ({@code sign-in}), and both spend one per account
 * ({@code account}, by email) before the password is hashed or checked.
 */
@Path("/api/accounts")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "accounts")
public class AccountResource {
  private final Accounts accounts;
  private final SessionStore store;
  private final SessionAnswers answers;
  private final RateLimiter limiter;

  AccountResource(
      Accounts accounts, SessionStore store, SessionAnswers answers, RateLimiter limiter) {
    this.accounts = accounts;
    this.store = store;
    this.answers = answers;
    this.limiter = limiter;
  }

  @POST
  @Operation(summary = "Sign up: a new account, signed in (201); 409 if the email has one")
  public Uni<Response> signUp(
      @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
      @CookieParam(SessionStore.COOKIE) String current,
      @HeaderParam(HttpHeaders.USER_AGENT) String userAgent,
      @NotNull @Valid Credentials credentials) {
    return enter(
        contentType,
        "POST /api/accounts",
        current,
        credentials,
        Response.Status.CREATED,
        guest -> accounts.signUp(credentials.email(), credentials.password(), guest, userAgent));
  }

  @POST
  @Path("sign-in")
  @Operation(
      summary =
          "Sign in (200, a new session); 401 for an unknown email or a wrong password alike, 429"
              + " past the attempts allowed")
  public Uni<Response> signIn(
      @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
      @CookieParam(SessionStore.COOKIE) String current,
      @HeaderParam(HttpHeaders.USER_AGENT) String userAgent,
      @NotNull @Valid Credentials credentials) {
    return enter(
        contentType,
        "POST /api/accounts/sign-in",
        current,
        credentials,
        Response.Status.OK,
        guest -> accounts.signIn(credentials.email(), credentials.password(), guest, userAgent));
  }

  /**
   * Only as JSON ({@link JsonOnly}: a request without a Content-Type would otherwise be read as
   * JSON, and another site's page can send one), and within the account's budget, spent before the
   * password is hashed or checked; then the caller's session is exchanged for the account's.
   */
  private Uni<Response> enter(
      String contentType,
      String request,
      String current,
      Credentials credentials,
      Response.Status status,
      Function<Session, Uni<Session>> entering) {
    Response refused = JsonOnly.refusal(contentType, request);
    if (refused == null && !Passwords.fits(credentials.password())) {
      refused =
          Problem.unprocessable(
              "password: at most " + Passwords.MAX_BYTES + " bytes (bcrypt reads no more)");
    }
    if (refused != null) {
      return Uni.createFrom().item(refused);
    }
    // The budget's name is a digest of the email as accounts compare it, not the address itself.
    String account = SessionStore.handle(Accounts.emailKey(credentials.email()));
    return limiter
        .spendAccountAttempt(account)
        .chain(
            overLimit ->
                overLimit != null
                    ? Uni.createFrom().item(overLimit)
                    : store
                        .find(current)
                        .chain(entering::apply)
                        .map(session -> answers.handOver(status, session)));
  }
}
