package dev.souq.shared.redis;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Pipelines any topology accepts. On one Redis (or Sentinel's master) the requests go as one
 * pipeline. A Cluster refuses a pipeline whose keys span hash slots, so there they go as one
 * pipeline per slot, all at once: requests of one slot keep their order (one connection to one
 * node), requests of different slots have none between them. More than {@link #MAX_COMMANDS}
 * requests go in parts, each sent once the one before has answered.
 */
@ApplicationScoped
public class RedisPipelines {
  /**
   * The most commands sent at once. The client refuses a whole pipeline longer than its waiting
   * queue ({@code quarkus.redis.max-waiting-handlers}, 2,048 by default; lowered below 1,025 it
   * refuses these too) with "Redis waiting queue is full", so every check of more sessions than
   * that failed, as would a cache invalidation of that size.
   */
  public static final int MAX_COMMANDS = 1024;

  private final Redis redis;
  private final RedisTopology topology;

  @Inject
  RedisPipelines(ReactiveRedisDataSource redis, RedisTopology topology) {
    this(redis.getRedis(), topology);
  }

  /** Pipelines on {@code redis}, split as {@code topology} needs. */
  public RedisPipelines(Redis redis, RedisTopology topology) {
    this.redis = redis;
    this.topology = topology;
  }

  /** The client the pipelines go through, for a command that needs none. */
  public Redis redis() {
    return redis;
  }

  /**
   * Sends {@code requests}, each touching only keys of the slot of its key in {@code keys} (same
   * index); the replies in the order of the requests. Fails if any pipeline fails; parts sent
   * before it stay applied, as the head of a pipeline cut midway does.
   */
  public Uni<List<Response>> send(List<String> keys, List<Request> requests) {
    return send(keys, requests, null).map(Sent::replies);
  }

  /**
   * As {@link #send(List, List)}, each pipeline followed by {@code WAIT replicas timeout} on its
   * connection: how many replicas had taken its writes when the wait ended ({@link Sent#replicas},
   * the fewest over the pipelines). Redis replicates asynchronously; this is how a caller knows a
   * failover will not lose what it sent. Each part of a long list waits on its own, so its waits
   * add up: a caller that bounds the whole keeps to {@link #MAX_COMMANDS}.
   */
  public Uni<Sent> sendAndWait(
      List<String> keys, List<Request> requests, int replicas, Duration timeout) {
    return send(
        keys,
        requests,
        Request.cmd(Command.WAIT).arg(replicas).arg(Math.max(1, timeout.toMillis())));
  }

  /** The replies in request order, and the fewest replicas a WAIT counted (-1: no WAIT). */
  public record Sent(List<Response> replies, int replicas) {}

  private Uni<Sent> send(List<String> keys, List<Request> requests, Request wait) {
    if (keys.size() != requests.size()) {
      throw new IllegalArgumentException("One key per request");
    }
    if (requests.size() <= MAX_COMMANDS) {
      return sendPart(keys, requests, wait);
    }
    // Deferred: the replies gather in a list of each subscription's own.
    return Uni.createFrom()
        .deferred(
            () ->
                sendFrom(
                    0, keys, requests, wait, new ArrayList<>(requests.size()), Integer.MAX_VALUE));
  }

  /**
   * The part of at most {@link #MAX_COMMANDS} from {@code from}, then the rest: in order, as one
   * pipeline would be; each part waits for the replicas, and the fewest count. Parts already sent
   * stay sent if a later one fails, as the head of a pipeline cut midway does.
   */
  private Uni<Sent> sendFrom(
      int from,
      List<String> keys,
      List<Request> requests,
      Request wait,
      List<Response> replies,
      int replicas) {
    int to = Math.min(from + MAX_COMMANDS, requests.size());
    return sendPart(keys.subList(from, to), requests.subList(from, to), wait)
        .chain(
            part -> {
              replies.addAll(part.replies());
              int fewest = Math.min(replicas, part.replicas());
              return to == requests.size()
                  ? Uni.createFrom().item(new Sent(replies, fewest))
                  : sendFrom(to, keys, requests, wait, replies, fewest);
            });
  }

  private Uni<Sent> sendPart(List<String> keys, List<Request> requests, Request wait) {
    Map<Integer, List<Integer>> bySlot = topology.cluster() ? bySlot(keys) : Map.of();
    if (bySlot.size() <= 1) {
      // One pipeline, as sent before WAIT existed: the replies are already in request order.
      if (wait == null) {
        return redis.batch(requests).map(replies -> new Sent(replies, -1));
      }
      List<Request> pipeline = new ArrayList<>(requests);
      pipeline.add(wait);
      int n = requests.size();
      return redis
          .batch(pipeline)
          .map(replies -> new Sent(replies.subList(0, n), replies.get(n).toInteger()));
    }
    List<List<Integer>> positions = new ArrayList<>(bySlot.values());
    // All on one connection: each pipeline sent on the client would take a connection of its own,
    // and a Cluster connection takes one to every node. WAIT, which names no key, goes with the
    // pipeline's own node.
    return redis
        .connect()
        .chain(
            connection -> {
              List<Uni<List<Response>>> pipelines = new ArrayList<>(positions.size());
              for (List<Integer> slot : positions) {
                pipelines.add(connection.batch(pipeline(slot, requests, wait)));
              }
              return Uni.combine()
                  .all()
                  .unis(pipelines)
                  .with(replies -> sent(replies, positions, requests.size(), wait))
                  .eventually(connection::close);
            });
  }

  private static List<Request> pipeline(
      List<Integer> positions, List<Request> requests, Request wait) {
    List<Request> pipeline = new ArrayList<>(positions.size() + 1);
    positions.forEach(i -> pipeline.add(requests.get(i)));
    if (wait != null) {
      pipeline.add(wait);
    }
    return pipeline;
  }

  /** The replies of the pipelines, put back in the order of the requests; WAIT's count apart. */
  private static Sent sent(
      List<?> replies, List<List<Integer>> positions, int requests, Request wait) {
    Response[] inOrder = new Response[requests];
    int replicas = wait == null ? -1 : Integer.MAX_VALUE;
    for (int p = 0; p < positions.size(); p++) {
      List<?> answered = (List<?>) replies.get(p);
      List<Integer> slot = positions.get(p);
      for (int i = 0; i < slot.size(); i++) {
        inOrder[slot.get(i)] = (Response) answered.get(i);
      }
      if (wait != null) {
        replicas = Math.min(replicas, ((Response) answered.get(slot.size())).toInteger());
      }
    }
    return new Sent(Arrays.asList(inOrder), replicas);
  }

  private static Map<Integer, List<Integer>> bySlot(List<String> keys) {
    Map<Integer, List<Integer>> bySlot = new LinkedHashMap<>();
    for (int i = 0; i < keys.size(); i++) {
      bySlot.computeIfAbsent(HashSlot.of(keys.get(i)), slot -> new ArrayList<>()).add(i);
    }
    return bySlot;
  }
}
