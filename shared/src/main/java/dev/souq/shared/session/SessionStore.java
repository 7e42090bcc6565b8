package dev.souq.shared.session;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.souq.shared.json.JsonText;
import dev.souq.shared.redis.LuaScript;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * Sessions in Redis: {@code session:{id}} holds the session as JSON with a sliding TTL (each use
 * renews it, in the same round trip as the read: GETEX) and an absolute lifetime of 7 days. Ids are
 * 256 random bits from a CSPRNG. A use costs one round trip (two in a session's last hour, when its
 * TTL is capped by the lifetime left). An account's sessions are opened and listed by {@link
 * AccountSessions}; live connections read them through {@link WatchedSessions}, without renewing
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

  private static final LuaScript SWAP = LuaScript.fromClasspath("/lua/session-swap.lua");

  /** How often {@link #modify} reads again after a write made meanwhile before it gives up. */
  private static final int MODIFY_ATTEMPTS = 5;

  private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{43}");
  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

  private final SecureRandom random = new SecureRandom();
  private final ReactiveRedisDataSource redis;
  private final ObjectMapper json;

  SessionStore(ReactiveRedisDataSource redis, ObjectMapper json) {
    this.redis = redis;
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
    return write(session).replaceWith(session);
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
    if (!wellFormed(id)) {
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

  static boolean tooOld(Session session) {
    return session.createdAt() == null
        || session.createdAt().plus(MAX_LIFETIME).isBefore(Instant.now());
  }

  /** Writes a new session. */
  Uni<Void> write(Session session) {
    return redis
        .execute("SET", key(session.sessionId()), value(session), "EX", ttl(session))
        .replaceWithVoid();
  }

  /**
   * Writes a changed session (e.g. a new cart), renewing its TTL, if it still exists: false if it
   * ended since it was read. A session read before a sign-out and written after it stays ended (SET
   * XX), instead of coming back unlisted, where "sign out everywhere" cannot reach it.
   */
  public Uni<Boolean> update(Session session) {
    return redis
        .execute("SET", key(session.sessionId()), value(session), "EX", ttl(session), "XX")
        .map(reply -> reply != null);
  }

  /**
   * Applies {@code change} to the session as Redis holds it now and writes the result, renewing its
   * TTL, only if nothing wrote the session meanwhile (else it reads again): a change that must not
   * undo another, as emptying a placed cart must not undo an edit made during the placement. False
   * if the session ended, or if it kept changing under {@code change}.
   */
  public Uni<Boolean> modify(String id, UnaryOperator<Session> change) {
    return modify(id, change, MODIFY_ATTEMPTS);
  }

  private Uni<Boolean> modify(String id, UnaryOperator<Session> change, int attempts) {
    return redis
        .execute("GET", key(id))
        .chain(
            reply -> {
              Session read = reply == null ? null : decode(reply.toString());
              if (read == null) {
                return Uni.createFrom().item(false);
              }
              Session changed = change.apply(read);
              return SWAP.run(
                      redis,
                      List.of(key(id)),
                      List.of(reply.toString(), value(changed), ttl(changed)))
                  .chain(
                      answer ->
                          answer.toInteger() == 0 && attempts > 1
                              ? modify(id, change, attempts - 1)
                              : Uni.createFrom().item(answer.toInteger() == 1));
            });
  }

  private String value(Session session) {
    return JsonText.write(json, session);
  }

  private static String ttl(Session session) {
    return Long.toString(ttlSeconds(session));
  }

  /** The key's time to live once written or read now: an hour, or the lifetime left if less. */
  private static long ttlSeconds(Session session) {
    return Math.min(TTL.toSeconds(), secondsLeft(session));
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
   * When a session read now expires, for the client: an hour from now, or at the end of its
   * lifetime if that comes first, as its key does.
   */
  public static Instant expiresAt(Session session) {
    return Instant.now().plusSeconds(ttlSeconds(session));
  }

  String newId() {
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

  Session decode(String value) {
    try {
      return json.readValue(value, Session.class);
    } catch (JsonProcessingException e) {
      return null; // a corrupted entry is treated as no session
    }
  }
}
