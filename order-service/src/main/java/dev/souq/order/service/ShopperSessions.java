package dev.souq.order.service;

import dev.souq.shared.session.AccountSessions;
import dev.souq.shared.session.ActiveSession;
import dev.souq.shared.session.Session;
import dev.souq.shared.session.SessionStore;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;

/**
 * The sessions a shopper can see and end: an account's all of its sessions, a guest's only the one
 * it has. Each is named by its {@link SessionStore#handle}, never by its id.
 */
@ApplicationScoped
public class ShopperSessions {
  private final SessionStore store;
  private final AccountSessions accounts;

  ShopperSessions(SessionStore store, AccountSessions accounts) {
    this.store = store;
    this.accounts = accounts;
  }

  /** The caller's sessions, oldest first. */
  public Uni<List<ActiveSession>> of(Session current) {
    if (!current.signedIn()) {
      return Uni.createFrom().item(List.of(new ActiveSession(current, Instant.now())));
    }
    return accounts.ofAccount(current.userId());
  }

  /** Ends the caller's session named {@code handle}; false if it has none of that name. */
  public Uni<Boolean> end(Session current, String handle) {
    return of(current)
        .chain(
            live -> {
              for (ActiveSession each : live) {
                if (SessionStore.handle(each.session().sessionId()).equals(handle)) {
                  return store.delete(each.session()).replaceWith(true);
                }
              }
              return Uni.createFrom().item(false);
            });
  }

  /** Ends every session of the caller's but {@code current}; how many ended. */
  public Uni<Integer> endOthers(Session current) {
    return of(current)
        .chain(
            live -> {
              List<Uni<Void>> ends =
                  live.stream()
                      .map(ActiveSession::session)
                      .filter(other -> !other.sessionId().equals(current.sessionId()))
                      .map(store::delete)
                      .toList();
              return ends.isEmpty()
                  ? Uni.createFrom().item(0)
                  : Uni.join().all(ends).andFailFast().replaceWith(ends.size());
            });
  }
}
