package dev.souq.shared.session;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.souq.shared.json.JsonText;
import dev.souq.shared.redis.RedisPipelines;
import dev.souq.shared.session.Session.CartItem;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Sessions in Redis: {@code session:{id}} holds the session as JSON with a sliding TTL (each use
 * renews it, in the same round trip as the read: GETEX) and an absolute lifetime of 7 days. Ids are
 * 256 random bits from a CSPRNG. A use costs one round trip (two in a session's last hour, when its
 * TTL is capped by the lifetime left). An account's sessions are also indexed under {@code
 * account_sessions:{user id}} (a sorted set of ids by creation), so a shopper can list and end
 * them.
 */
@ApplicationScoped
public class SessionStore {
  /** The session cookie's name. */
  public static final String COOKIE = "SOUQ_SESSION";

  /** How long an unused session lives. */
  public static final Duration TTL = Duration.ofSeconds(3600);

  /**
   * How long a session lives at most, however often it is used: a stolen cookie stops working, and
   * the shopper starts a new guest session.
   */
  public static final Duration MAX_LIFETIME = Duration.ofDays(7);

  /**
   * Where an ended session is announced, as a {@link SessionEnded}: every notification-service
   * replica closes its live connections at once, instead of at its next periodic check (which
   * stays, for sessions that expire and for announcements lost).
   */
  public static final String ENDED_CHANNEL = "session_ended";

  private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{43}");
  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

  private final SecureRandom random = new SecureRandom();
  private final ReactiveRedisDataSource redis;
  private final RedisPipelines pipelines;
  private final ObjectMapper json;

  SessionStore(ReactiveRedisDataSource redis, RedisPipelines pipelines, ObjectMapper json) {
    this.redis = redis;
    this.pipelines = pipelines;
    this.json = json;
  }

  /** Whether {@code id} looks like a session id at all (no Redis call). */
  public static boolean wellFormed(String id) {
    return id != null && ID.matcher(id).matches();
  }

  /** The longest user agent a session keeps: enough to tell devices apart. */
  static final int USER_AGENT_MAX = 200;

  /** Creates a guest session with a new user id and an empty cart. */
  public Uni<Session> create(String userAgent) {
    Session session =
        new Session(
            newId(),
            "u_" + newId().substring(0, 22),
            Instant.now(),
            List.of(),
            null,
            device(userAgent));
    return save(session).replaceWith(session);
  }

  /**
   * Opens a new session of the account {@code userId} with this cart, indexed among the account's
   * sessions. Its id is new: signing in never keeps the id the guest had (no fixation).
   */
  public Uni<Session> open(String userId, String email, String userAgent, List<CartItem> cart) {
    Session session =
        new Session(newId(), userId, Instant.now(), List.copyOf(cart), email, device(userAgent));
    String index = indexKey(userId);
    // Indexed before it exists: a session is never usable without being listed (and ended by
    // "sign out everywhere"); an id indexed for nothing is dropped at the next listing.
    return redis
        .execute(
            "ZADD", index, Long.toString(session.createdAt().toEpochMilli()), session.sessionId())
        // The index lives as long as its newest session can.
        .chain(() -> redis.execute("EXPIRE", index, Long.toString(MAX_LIFETIME.toSeconds())))
        .chain(() -> save(session))
        .replaceWith(session);
  }

  /**
   * The account's live sessions, oldest first, each with when it was last used; ids of sessions
   * that ended by themselves (expired) leave the index on the way.
   */
  public Uni<List<ActiveSession>> ofAccount(String userId) {
    String index = indexKey(userId);
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
                        .unis(redis.execute("GET", key(id)), redis.execute("PTTL", key(id)))
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
              List<String> args = new ArrayList<>(List.of(index));
              args.addAll(gone);
              return redis.execute("ZREM", args.toArray(String[]::new)).replaceWith(live);
            });
  }

  private ActiveSession active(io.vertx.mutiny.redis.client.Response value, long ttlMs) {
    Session session = value == null ? null : decode(value.toString());
    if (session == null || tooOld(session) || ttlMs < 0) {
      return null;
    }
    // Each use sets the TTL to its full length: what is missing of it is the time since (in a
    // session's last hour the TTL is capped by its lifetime, and this reads earlier than it was).
    Instant now = Instant.now();
    Instant lastUsed = now.minusMillis(Math.max(0, TTL.toMillis() - ttlMs));
    if (lastUsed.isBefore(session.createdAt())) {
      lastUsed =
          session.createdAt(); // never before it began (Redis and this clock differ a little)
    }
    return new ActiveSession(session, lastUsed);
  }

  /**
   * What a session is called in front of its shopper (its list of sessions, the id to end it by): a
   * digest of its id, so the page's script never holds another session's credential.
   */
  public static String handle(String sessionId) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(sessionId.getBytes(UTF_8));
      return ENCODER.encodeToString(Arrays.copyOf(digest, 16));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("Every JVM has SHA-256", e);
    }
  }

  /** The user agent as a session keeps it: printable, and short. */
  static String device(String userAgent) {
    if (userAgent == null || userAgent.isBlank()) {
      return null;
    }
    String printable = userAgent.replaceAll("\\p{Cntrl}", "").strip();
    return printable.length() > USER_AGENT_MAX ? printable.substring(0, USER_AGENT_MAX) : printable;
  }

  /**
   * The session with this id, its TTL renewed; null if the id is malformed, unknown or expired.
   * Malformed ids never reach Redis.
   */
  public Uni<Session> find(String id) {
    if (id == null || !ID.matcher(id).matches()) {
      return Uni.createFrom().nullItem();
    }
    return redis
        .execute("GETEX", key(id), "EX", Long.toString(TTL.toSeconds()))
        .map(reply -> reply == null ? null : decode(reply.toString()))
        .chain(
            session -> {
              if (session == null) {
                return Uni.createFrom().nullItem();
              }
              // Past its lifetime: gone for good, also for the WebSockets watching it.
              if (tooOld(session)) {
                return delete(session).replaceWith((Session) null);
              }
              long left = secondsLeft(session);
              Uni<Void> cap =
                  left < TTL.toSeconds()
                      ? redis.execute("EXPIRE", key(id), Long.toString(left)).replaceWithVoid()
                      : Uni.createFrom().voidItem();
              return cap.replaceWith(session);
            });
  }

  /**
   * The session with this id without renewing it, and how long its key has left, in one round trip;
   * null if the id is malformed, unknown or expired. For watchers (a live connection opening)
   * rather than shoppers: a reconnect storm of thousands of browsers then costs one GET and PTTL
   * each, and the watcher knows when to look again.
   */
  public Uni<WatchedSession> peek(String id) {
    if (id == null || !ID.matcher(id).matches()) {
      return Uni.createFrom().nullItem();
    }
    String key = key(id);
    return redis
        .getRedis()
        .batch(List.of(Request.cmd(Command.GET).arg(key), Request.cmd(Command.PTTL).arg(key)))
        .map(
            replies -> {
              Session session = replies.get(0) == null ? null : decode(replies.get(0).toString());
              long ttl = replies.get(1).toLong();
              // Gone between the two reads (-2), or past its lifetime: no session.
              if (session == null || tooOld(session) || ttl == -2) {
                return null;
              }
              return new WatchedSession(session, ttl);
            });
  }

  /**
   * Seconds until the session's absolute lifetime ends (at least 1): its key never outlives it, so
   * watchers that only ask whether it exists see it end on time.
   */
  private static long secondsLeft(Session session) {
    if (session.createdAt() == null) {
      return 1;
    }
    return Math.max(
        1, Duration.between(Instant.now(), session.createdAt().plus(MAX_LIFETIME)).toSeconds());
  }

  private static boolean tooOld(Session session) {
    return session.createdAt() == null
        || session.createdAt().plus(MAX_LIFETIME).isBefore(Instant.now());
  }

  /** Writes the session (e.g. a new cart), renewing its TTL. */
  public Uni<Void> save(Session session) {
    return redis
        .execute(
            "SET",
            key(session.sessionId()),
            JsonText.write(json, session),
            "EX",
            Long.toString(Math.min(TTL.toSeconds(), secondsLeft(session))))
        .replaceWithVoid();
  }

  /**
   * Ends the session: it is gone at once, and its end is announced so that its live connections
   * close on every replica.
   */
  public Uni<Void> delete(Session session) {
    String ended = JsonText.write(json, new SessionEnded(session.sessionId(), session.userId()));
    Uni<Void> unindex =
        session.signedIn()
            ? redis
                .execute("ZREM", indexKey(session.userId()), session.sessionId())
                .replaceWithVoid()
            : Uni.createFrom().voidItem();
    return redis
        .execute("DEL", key(session.sessionId()))
        .chain(() -> unindex)
        .chain(
            () ->
                redis
                    .execute("PUBLISH", ENDED_CHANNEL, ended)
                    .onFailure()
                    // The session is gone either way: the watchers' periodic check finds it.
                    .recoverWithNull())
        .replaceWithVoid();
  }

  /**
   * How long each of these sessions' keys has left (ms; -2 gone, logged out or expired; -1 no
   * expiry), in one pipelined round trip (on a Cluster, one per hash slot). Unlike {@link #find} it
   * does not renew them: watching for updates is not using the shop.
   */
  public Uni<Map<String, Long>> timeLeft(Collection<String> ids) {
    List<String> asked = List.copyOf(ids);
    if (asked.isEmpty()) {
      return Uni.createFrom().item(Map.of());
    }
    List<String> keys = asked.stream().map(SessionStore::key).toList();
    List<Request> requests = keys.stream().map(key -> Request.cmd(Command.PTTL).arg(key)).toList();
    return pipelines
        .send(keys, requests)
        .map(
            replies -> {
              Map<String, Long> left = new HashMap<>();
              for (int i = 0; i < asked.size(); i++) {
                left.put(asked.get(i), replies.get(i).toLong());
              }
              return left;
            });
  }

  /** When a session read now expires, for the client. */
  public static Instant expiresAt() {
    return Instant.now().plus(TTL);
  }

  private String newId() {
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    return ENCODER.encodeToString(bytes);
  }

  static String key(String id) {
    return "session:" + id;
  }

  static String indexKey(String userId) {
    return "account_sessions:" + userId;
  }

  private Session decode(String value) {
    try {
      return json.readValue(value, Session.class);
    } catch (JsonProcessingException e) {
      return null; // a corrupted entry is treated as no session
    }
  }
}
