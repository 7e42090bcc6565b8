package dev.souq.order.service;

import dev.souq.order.config.OrderConfig;
import dev.souq.order.repository.AccountRepository;
import dev.souq.order.repository.AccountRepository.Account;
import dev.souq.shared.session.AccountSessions;
import dev.souq.shared.session.ActiveSession;
import dev.souq.shared.session.Session;
import dev.souq.shared.session.SessionStore;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.SecureRandom;
import java.text.Normalizer;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * Sign-up and sign-in. Either way the shopper leaves with a new session of the account, whatever
 * session they came with (no fixation): the guest's cart comes along, the guest's orders become the
 * account's, the guest's session ends (and with it its live connections), and past the most
 * sessions an account may have the oldest end.
 */
@ApplicationScoped
public class Accounts {
  private final AccountRepository accounts;
  private final SessionStore sessions;
  private final AccountSessions accountSessions;
  private final Passwords passwords;
  private final int maxSessions;
  private final SecureRandom random = new SecureRandom();

  Accounts(
      AccountRepository accounts,
      SessionStore sessions,
      AccountSessions accountSessions,
      Passwords passwords,
      OrderConfig config) {
    this.accounts = accounts;
    this.sessions = sessions;
    this.accountSessions = accountSessions;
    this.passwords = passwords;
    this.maxSessions = config.accounts().maxSessions();
  }

  /**
   * Opens an account and signs into it from {@code current} (the caller's session, or null); fails
   * with {@link EmailTakenException} if the email has one.
   */
  public Uni<Session> signUp(String email, String password, Session current, String userAgent) {
    String userId = Session.ACCOUNT_PREFIX + newUserId();
    // Once the account is written, its session must follow even if the shopper hangs up.
    return passwords
        .hash(password)
        .chain(
            hash ->
                Uncancellable.of(
                    accounts
                        .insert(new Account(userId, email.strip(), emailKey(email), hash))
                        .chain(
                            added -> {
                              if (!added) {
                                return Uni.createFrom().failure(new EmailTakenException());
                              }
                              return enter(userId, email.strip(), current, userAgent);
                            })));
  }

  /**
   * Signs into the account of this email from {@code current}; fails with {@link
   * WrongCredentialsException} if there is none or the password is not its.
   */
  public Uni<Session> signIn(String email, String password, Session current, String userAgent) {
    return accounts
        .byEmailKey(emailKey(email))
        .chain(
            account ->
                passwords
                    .matches(password, account == null ? null : account.passwordHash())
                    .chain(
                        right ->
                            right
                                ? enter(account.userId(), account.email(), current, userAgent)
                                : Uni.createFrom().failure(new WrongCredentialsException())));
  }

  /**
   * The form of an email that accounts are found, told apart and limited by: NFKC, then lower case
   * by Java's rules, always in Java (PostgreSQL's lower() follows the database's locale, and two
   * rule sets would let one address pass as two).
   */
  public static String emailKey(String email) {
    return Normalizer.normalize(email.strip(), Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
  }

  private Uni<Session> enter(String userId, String email, Session current, String userAgent) {
    // Only a guest's orders move, and another account's cart stays with it (a shared browser); the
    // same account signing in again keeps its own.
    boolean guest = current != null && !current.signedIn();
    boolean ours = guest || (current != null && userId.equals(current.userId()));
    List<Session.CartItem> cart = ours && current.cart() != null ? current.cart() : List.of();
    Uni<Void> adopt =
        guest
            ? accounts.adoptOrders(current.userId(), userId).replaceWithVoid()
            : Uni.createFrom().voidItem();
    Uni<Void> ended = current == null ? Uni.createFrom().voidItem() : sessions.delete(current);
    // Orders move before anything else (a database outage then changes nothing), and once more
    // after the guest's session ended: one placed from it meanwhile is not left behind.
    // All of it, even if the shopper hangs up: stopped halfway, the guest's orders could have
    // moved while the guest session stayed.
    return Uncancellable.of(
        adopt
            .chain(() -> accountSessions.open(userId, email, userAgent, cart))
            .call(() -> ended)
            .call(() -> adopt)
            .call(opened -> trim(userId)));
  }

  /** Ends the account's oldest sessions past {@code maxSessions}. */
  private Uni<Void> trim(String userId) {
    return accountSessions
        .ofAccount(userId)
        .chain(
            live -> {
              int over = live.size() - maxSessions;
              if (over <= 0) {
                return Uni.createFrom().voidItem();
              }
              List<Uni<Void>> ends =
                  live.subList(0, over).stream()
                      .map(ActiveSession::session)
                      .map(sessions::delete)
                      .toList();
              return Uni.join().all(ends).andFailFast().replaceWithVoid();
            });
  }

  private String newUserId() {
    byte[] bytes = new byte[16];
    random.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
