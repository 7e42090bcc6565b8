package dev.souq.shared.session;

import dev.souq.shared.redis.RedisPipelines;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Sessions as live connections see them: read without renewing their TTL (watching for updates is
 * not using the shop), with how long each has left, so a watcher knows when to look again.
 */
@ApplicationScoped
public class WatchedSessions {
  private final ReactiveRedisDataSource redis;
  private final RedisPipelines pipelines;
  private final SessionStore store;

  WatchedSessions(ReactiveRedisDataSource redis, RedisPipelines pipelines, SessionStore store) {
    this.redis = redis;
    this.pipelines = pipelines;
    this.store = store;
  }

  /**
   * The session with this id without renewing it, and how long its key has left, in one round trip;
   * null if the id is malformed, unknown or expired. For watchers (a live connection opening)
   * rather than shoppers: a reconnect storm of thousands of browsers then costs one GET and PTTL
   * each, and the watcher knows when to look again.
   */
  public Uni<WatchedSession> peek(String id) {
    if (!SessionStore.wellFormed(id)) {
      return Uni.createFrom().nullItem();
    }
    String key = SessionStore.key(id);
    return redis
        .getRedis()
        .batch(List.of(Request.cmd(Command.GET).arg(key), Request.cmd(Command.PTTL).arg(key)))
        .map(
            replies -> {
              Session session =
                  replies.get(0) == null ? null : store.decode(replies.get(0).toString());
              long ttl = replies.get(1).toLong();
              // Gone between the two reads (-2), or past its lifetime: no session.
              if (session == null || SessionStore.tooOld(session) || ttl == -2) {
                return null;
              }
              return new WatchedSession(session, ttl);
            });
  }

  /**
   * How long each of these sessions' keys has left (ms; -2 gone, logged out or expired; -1 no
   * expiry), in one pipelined round trip (on a Cluster, one per hash slot). Unlike {@link
   * SessionStore#find} it does not renew them: watching for updates is not using the shop.
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
