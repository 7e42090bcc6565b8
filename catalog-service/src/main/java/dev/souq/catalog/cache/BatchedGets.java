package dev.souq.catalog.cache;

import dev.souq.shared.redis.RedisTopology;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.impl.ContextInternal;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * The cache-hit reads of each event loop, sent as ONE {@code MGET} per event-loop turn on a Redis
 * connection that loop holds (auto-pipelining, as Lettuce and ioredis do it). Per request this
 * saves a pool checkout, a hop to the thread that owns the pooled connection and back, a timer and
 * a Redis command; the requests read in one turn share all of them.
 *
 * <p>Not on a Redis Cluster: one {@code MGET} there spans many hash slots, which vertx-redis-client
 * 4.5 splits per slot and may answer in another order (its issue #537), so a read could get another
 * product's JSON. Grouped by slot, a turn's reads of different products would be one GET each
 * anyway; {@link #get} leaves them to the ordinary per-key read there.
 */
final class BatchedGets {
  private final Redis redis;
  private final boolean enabled;
  private final long timeoutMs;
  private final Consumer<Throwable> onFailure;
  private final Map<Context, Loop> loops = new ConcurrentHashMap<>();

  /** {@code onFailure} hears of each failed or late batch once (the gate closes on it). */
  BatchedGets(
      Redis redis, RedisTopology topology, Duration timeout, Consumer<Throwable> onFailure) {
    this.redis = redis;
    this.enabled = !topology.cluster();
    this.timeoutMs = Math.max(1, timeout.toMillis());
    this.onFailure = onFailure;
  }

  /**
   * The string at {@code key}, or null; fails when Redis fails or is late. Null when not called on
   * an event loop, or on a Cluster: the caller then reads the ordinary way.
   */
  Uni<String> get(String key) {
    Context current = Vertx.currentContext();
    if (!enabled || current == null || !current.isEventLoopContext()) {
      return null;
    }
    Context root = VertxContext.getRootContext(current);
    Loop loop = loops.get(root);
    if (loop == null) {
      loop = loops.computeIfAbsent(root, Loop::new);
    }
    Loop home = loop;
    ContextInternal request = (ContextInternal) current;
    return Uni.createFrom().emitter(emitter -> home.add(key, new Waiter(request, emitter)));
  }

  /** One event loop's pending reads and its connection; touched only on that loop. */
  private final class Loop {
    private final ContextInternal home;
    private List<String> keys = new ArrayList<>();
    private List<Waiter> waiting = new ArrayList<>();
    private boolean flushScheduled;
    private RedisConnection connection;
    private Future<RedisConnection> connecting;

    Loop(Context home) {
      this.home = (ContextInternal) home;
    }

    void add(String key, Waiter waiter) {
      keys.add(key);
      waiting.add(waiter);
      if (!flushScheduled) {
        flushScheduled = true; // at the end of this turn: the requests read in it go together
        home.runOnContext(v -> flush());
      }
    }

    private void flush() {
      flushScheduled = false;
      Request mget = Request.cmd(Command.MGET);
      keys.forEach(mget::arg);
      Batch batch = new Batch(waiting);
      keys = new ArrayList<>();
      waiting = new ArrayList<>();
      batch.timer = home.owner().setTimer(timeoutMs, id -> late(batch));
      connection()
          // A connection that failed a send may be closed without having said so (the handlers
          // below never ran): every later turn would fail on it. The next turn connects anew.
          .compose(c -> c.send(mget).onFailure(failure -> onHome(() -> drop(c))))
          .onComplete(result -> onHome(() -> answered(batch, result)));
    }

    private Future<RedisConnection> connection() {
      if (connection != null) {
        return Future.succeededFuture(connection);
      }
      if (connecting == null) {
        Future<RedisConnection> attempt = redis.connect();
        connecting = attempt; // before the handler: the attempt may have completed already
        attempt.onComplete(
            result ->
                onHome(
                    () -> {
                      if (connecting == attempt) {
                        connecting = null;
                      }
                      if (result.succeeded()) {
                        use(result.result());
                      }
                    }));
        return attempt;
      }
      return connecting;
    }

    private void use(RedisConnection opened) {
      connection = opened;
      opened.exceptionHandler(e -> onHome(() -> drop(opened)));
      opened.endHandler(v -> onHome(() -> drop(opened)));
    }

    private void drop(RedisConnection broken) {
      if (connection == broken) {
        connection = null;
        broken.close();
      }
    }

    private void answered(Batch batch, AsyncResult<Response> result) {
      if (batch.settled) {
        return;
      }
      batch.settled = true;
      home.owner().cancelTimer(batch.timer);
      if (result.failed()) {
        failed(batch, result.cause());
        return;
      }
      Response values = result.result();
      for (int i = 0; i < batch.waiting.size(); i++) {
        Response value = values.get(i);
        batch.waiting.get(i).complete(value == null ? null : value.toString());
      }
    }

    private void late(Batch batch) {
      if (batch.settled) {
        return;
      }
      batch.settled = true;
      if (connection != null) {
        drop(connection); // the replies behind a silent one would come late too
      }
      failed(batch, new TimeoutException("No answer within " + timeoutMs + " ms"));
    }

    private void failed(Batch batch, Throwable failure) {
      onFailure.accept(failure);
      batch.waiting.forEach(waiter -> waiter.fail(failure));
    }

    private void onHome(Runnable action) {
      if (home.inThread()) {
        action.run();
      } else {
        home.runOnContext(v -> action.run());
      }
    }
  }

  /** One MGET: its readers in key order, and whether they were answered. */
  private static final class Batch {
    final List<Waiter> waiting;
    long timer;
    boolean settled;

    Batch(List<Waiter> waiting) {
      this.waiting = waiting;
    }
  }

  /**
   * A read and the request's own (duplicated) context, on which its answer is emitted: the code
   * after it may open a Hibernate Reactive session, which needs that context.
   */
  private record Waiter(ContextInternal context, UniEmitter<? super String> emitter) {
    void complete(String value) {
      context.emit(value, emitter::complete);
    }

    void fail(Throwable failure) {
      context.emit(failure, emitter::fail);
    }
  }
}
