package dev.souq.shared.session;

import dev.souq.shared.redis.RedisPipelines;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Sessions as live connections see them: read without renewing their TTL (watching for updates is
 * not using the shop), with how long each has left, so a watcher knows when to look again.
 */
@ApplicationScoped
public class WatchedSessions {
  /**
   * Lookups one event loop queues while its pipelines are out (at most two, of 512 each): more is a
   * storm, and the excess fails at once (as Redis unavailable) rather than queue past any deadline.
   * Public for the test that fills it.
   */
  public static final int MAX_WAITING_PER_LOOP = 4096;

  private final ReactiveRedisDataSource redis;
  private final RedisPipelines pipelines;
  private final SessionStore store;
  private final Map<Context, PeekBatcher> batchers = new ConcurrentHashMap<>();

  WatchedSessions(ReactiveRedisDataSource redis, RedisPipelines pipelines, SessionStore store) {
    this.redis = redis;
    this.pipelines = pipelines;
    this.store = store;
  }

  /**
   * The session with this id without renewing it, and how long its key has left, in one round trip;
   * null if the id is malformed, unknown or expired. For watchers (a live connection opening)
   * rather than shoppers: a reconnect storm of thousands of browsers then costs one GET and PTTL
   * each, and the watcher knows when to look again. The lookups of one event loop go to Redis
   * together, in one round trip ({@link PeekBatcher}; on a Cluster, one pipeline per hash slot).
   */
  public Uni<WatchedSession> peek(String id) {
    if (!SessionStore.wellFormed(id)) {
      return Uni.createFrom().nullItem();
    }
    return Uni.createFrom()
        .emitter(
            answer -> {
              Context current = Vertx.currentContext();
              if (current == null || !current.isEventLoopContext()) {
                alone(id).subscribe().with(answer::complete, answer::fail);
                return;
              }
              // Quarkus forbids locals on a root context, hence the map (a handful of event loops).
              Context loop = VertxContext.getRootContext(current);
              batchers
                  .computeIfAbsent(
                      loop,
                      home ->
                          new PeekBatcher(this::watched, pipelines, home, PeekBatcher.PATIENCE_MS))
                  .submit(id, answer);
            });
  }

  /** One lookup in a round trip of its own: off the event loops, where there is none to share. */
  private Uni<WatchedSession> alone(String id) {
    String key = SessionStore.key(id);
    return redis
        .getRedis()
        .batch(peeking(key))
        .map(replies -> watched(replies.get(0), replies.get(1)));
  }

  /** What a peek at a session's {@code key} asks: its value and its time left. */
  static List<Request> peeking(String key) {
    return List.of(Request.cmd(Command.GET).arg(key), Request.cmd(Command.PTTL).arg(key));
  }

  /** The session a GET and PTTL of its key found, or null. */
  WatchedSession watched(Response value, Response ttlReply) {
    Session session = value == null ? null : store.decode(value.toString());
    long ttl = ttlReply.toLong();
    // Gone between the two reads (-2), or past its lifetime: no session.
    if (session == null || SessionStore.tooOld(session) || ttl == -2) {
      return null;
    }
    return new WatchedSession(session, ttl);
  }

  /**
   * How long each of these sessions' keys has left (ms; -2 gone, logged out or expired; -1 no
   * expiry), in one pipelined round trip per {@link RedisPipelines#MAX_COMMANDS} (on a Cluster, one
   * per hash slot). Unlike {@link SessionStore#find} it does not renew them: watching for updates
   * is not using the shop.
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
}
