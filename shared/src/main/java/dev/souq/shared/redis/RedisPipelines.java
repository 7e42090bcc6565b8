package dev.souq.shared.redis;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Pipelines any topology accepts. On one Redis (or Sentinel's master) the requests go as one
 * pipeline. A Cluster refuses a pipeline whose keys span hash slots, so there they go as one
 * pipeline per slot, all at once: requests of one slot keep their order (one connection to one
 * node), requests of different slots have none between them.
 */
@ApplicationScoped
public class RedisPipelines {
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

  /**
   * Sends {@code requests}, each touching only keys of the slot of its key in {@code keys} (same
   * index); the replies in the order of the requests. Fails if any pipeline fails.
   */
  public Uni<List<Response>> send(List<String> keys, List<Request> requests) {
    if (keys.size() != requests.size()) {
      throw new IllegalArgumentException("One key per request");
    }
    Map<Integer, List<Integer>> bySlot = topology.cluster() ? bySlot(keys) : Map.of();
    if (bySlot.size() <= 1) {
      return redis.batch(requests);
    }
    List<List<Integer>> positions = new ArrayList<>(bySlot.values());
    // All on one connection: each pipeline sent on the client would take a connection of its own,
    // and a Cluster connection takes one to every node.
    return redis
        .connect()
        .chain(
            connection -> {
              List<Uni<List<Response>>> pipelines = new ArrayList<>(positions.size());
              for (List<Integer> slot : positions) {
                pipelines.add(connection.batch(slot.stream().map(requests::get).toList()));
              }
              return Uni.combine()
                  .all()
                  .unis(pipelines)
                  .with(replies -> inOrder(replies, positions, requests.size()))
                  .eventually(connection::close);
            });
  }

  /** The replies of the per-slot pipelines, put back in the order of the requests. */
  private static List<Response> inOrder(
      List<?> replies, List<List<Integer>> positions, int requests) {
    Response[] inOrder = new Response[requests];
    for (int p = 0; p < positions.size(); p++) {
      List<?> answered = (List<?>) replies.get(p);
      for (int i = 0; i < answered.size(); i++) {
        inOrder[positions.get(p).get(i)] = (Response) answered.get(i);
      }
    }
    return Arrays.asList(inOrder);
  }

  private static Map<Integer, List<Integer>> bySlot(List<String> keys) {
    Map<Integer, List<Integer>> bySlot = new LinkedHashMap<>();
    for (int i = 0; i < keys.size(); i++) {
      bySlot.computeIfAbsent(HashSlot.of(keys.get(i)), slot -> new ArrayList<>()).add(i);
    }
    return bySlot;
  }
}
