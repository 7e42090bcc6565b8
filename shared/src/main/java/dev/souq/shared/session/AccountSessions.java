package dev.souq.shared.session;

import dev.souq.shared.session.Session.CartItem;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * An account's sessions: each is indexed under {@code account_sessions:{user id}} (a sorted set of
 * ids by creation) as it opens, so its shopper can list them and end them, one or all. ({@link
 * SessionStore#delete} takes an ended session out of the index.)
 */
@ApplicationScoped
public class AccountSessions {
  /** Far longer than opening a session takes (three commands): an index entry that young stays. */
  static final Duration OPENING = Duration.ofMinutes(1);

  private final ReactiveRedisDataSource redis;
  private final SessionStore store;

  AccountSessions(ReactiveRedisDataSource redis, SessionStore store) {
    this.redis = redis;
    this.store = store;
  }

  /**
   * Opens a new session of the account {@code userId} with this cart, indexed among the account's
   * sessions. Its id is new: signing in never keeps the id the guest had (no fixation).
   */
  public Uni<Session> open(String userId, String email, String userAgent, List<CartItem> cart) {
    Session session =
        new Session(
            store.newId(),
            userId,
            Instant.now(),
            List.copyOf(cart),
            email,
            SessionStore.device(userAgent));
    String index = SessionStore.indexKey(userId);
    // Indexed before it exists: a session is never usable without being listed (and ended by
    // "sign out everywhere"); an id indexed for nothing is dropped at a listing a minute later.
    return redis
        .execute(
            "ZADD", index, Long.toString(session.createdAt().toEpochMilli()), session.sessionId())
        // The index lives as long as its newest session can.
        .chain(
            () ->
                redis.execute(
                    "EXPIRE", index, Long.toString(SessionStore.MAX_LIFETIME.toSeconds())))
        .chain(() -> store.write(session))
        .replaceWith(session);
  }

  /**
   * The account's live sessions, oldest first, each with when it was last used; ids of sessions
   * that ended by themselves (expired) leave the index on the way.
   */
  public Uni<List<ActiveSession>> ofAccount(String userId) {
    String index = SessionStore.indexKey(userId);
    return redis
        .execute("ZRANGE", index, "0", "-1")
        .map(
            reply -> {
              List<String> ids = new ArrayList<>(reply.size());
              reply.forEach(id -> ids.add(id.toString()));
              return ids;
            })
        .chain(ids -> ids.isEmpty() ? Uni.createFrom().item(List.of()) : describe(index, ids));
  }

  /** Reads each session and its TTL (one key each: no cross-slot batch on a cluster). */
  private Uni<List<ActiveSession>> describe(String index, List<String> ids) {
    List<Uni<ActiveSession>> reads =
        ids.stream()
            .map(
                id ->
                    Uni.combine()
                        .all()
                        .unis(
                            redis.execute("GET", SessionStore.key(id)),
                            redis.execute("PTTL", SessionStore.key(id)))
                        .with((value, ttl) -> active(value, ttl.toLong())))
            .toList();
    return Uni.join()
        .all(reads)
        .andFailFast()
        .chain(
            found -> {
              List<ActiveSession> live = new ArrayList<>();
              List<String> gone = new ArrayList<>();
              for (int i = 0; i < ids.size(); i++) {
                if (found.get(i) == null) {
                  gone.add(ids.get(i));
                } else {
                  live.add(found.get(i));
                }
              }
              if (gone.isEmpty()) {
                return Uni.createFrom().item(live);
              }
              return forget(index, gone).replaceWith(live);
            });
  }

  /**
   * Drops from the index those of {@code gone} indexed over {@link #OPENING} ago. A younger one may
   * be a session still being opened (indexed, not yet written): dropped, it would be live but
   * unlisted, out of reach of "sign out everywhere" and of the limit on sessions.
   */
  private Uni<Void> forget(String index, List<String> gone) {
    long cutoff = Instant.now().minus(OPENING).toEpochMilli();
    return redis
        .execute("ZRANGE", index, "-inf", "(" + cutoff, "BYSCORE")
        .chain(
            old -> {
              List<String> args = new ArrayList<>(List.of(index));
              old.forEach(
                  id -> {
                    if (gone.contains(id.toString())) {
                      args.add(id.toString());
                    }
                  });
              return args.size() == 1
                  ? Uni.createFrom().voidItem()
                  : redis.execute("ZREM", args.toArray(String[]::new)).replaceWithVoid();
            });
  }

  private ActiveSession active(io.vertx.mutiny.redis.client.Response value, long ttlMs) {
    Session session = value == null ? null : store.decode(value.toString());
    if (session == null || SessionStore.tooOld(session) || ttlMs < 0) {
      return null;
    }
    // Each use sets the TTL to its full length: what is missing of it is the time since (in a
    // session's last hour the TTL is capped by its lifetime, and this reads earlier than it was).
    Instant now = Instant.now();
    Instant lastUsed = now.minusMillis(Math.max(0, SessionStore.TTL.toMillis() - ttlMs));
    if (lastUsed.isBefore(session.createdAt())) {
      lastUsed =
          session.createdAt(); // never before it began (Redis and this clock differ a little)
    }
    return new ActiveSession(session, lastUsed);
  }
}
