package dev.souq.shared.ratelimit;

import dev.souq.shared.redis.LuaScript;
import io.quarkus.logging.Log;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Response;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * The rate checks of one event loop, sent to Redis in groups (group commit): while one script call
 * is on the wire, the checks that arrive wait; then all of them go in ONE call, counted per client
 * key, and the script admits each key's requests one after the other under GCRA. Every waiting
 * request learns exactly what it would have learnt alone, at one round trip, one script run and one
 * timer per batch instead of per request. Confined to its event loop: no locks.
 *
 * <p>Before a check is queued, the loop's {@link LocalBudgets} may answer it with no Redis call at
 * all: a refusal still running, or a cell of a busy client's allowance.
 *
 * <p>One call touches many keys: they share the hash tag {@code {rate_limit}}, so a Redis Cluster
 * runs it on the one node that holds them all.
 */
public final class GcraBatcher {
  /**
   * Checks one event loop may hold while Redis answers. More than this arriving within one round
   * trip is a storm, not shoppers: the excess is treated as Redis unavailable (fail-open or 503).
   */
  static final int MAX_PENDING = 4096;

  private static final LuaScript GCRA = LuaScript.fromClasspath("/lua/rate-limit.lua");
  static final long WINDOW_MS = 60_000;
  private static final RejectedExecutionException FULL =
      new RejectedExecutionException("Rate limiter queue full") {
        @Override
        public synchronized Throwable fillInStackTrace() {
          return this;
        }
      };

  private final Redis redis;
  private final Context home;
  private final long limit;
  private final double interval;
  private final LocalBudgets budgets;
  private final long timeoutMs;
  private final Handler<Void> flushTask = v -> flushIfIdle();
  private RateCheck[] queue = new RateCheck[64];
  private int queued;
  private GcraBatch inFlight;
  private boolean flushScheduled;
  private Thread thread;

  /** A batcher for the event loop of {@code home} (a root context), at perMinute per client. */
  public GcraBatcher(Redis redis, Context home, int perMinute, Duration timeout) {
    this.redis = redis;
    this.home = home;
    this.limit = perMinute;
    this.interval = (double) WINDOW_MS / perMinute;
    this.budgets = new LocalBudgets(perMinute, WINDOW_MS);
    this.timeoutMs = Math.max(1, timeout.toMillis());
  }

  /**
   * Answers a check at once when this loop knows the answer, else queues it; call it on the home
   * context's event loop.
   */
  public void submit(RateCheck check) {
    if (answerLocally(check, System.nanoTime())) {
      return;
    }
    if (queued == MAX_PENDING) {
      check.unavailable(FULL);
      return;
    }
    if (queued == queue.length) {
      queue = Arrays.copyOf(queue, Math.min(MAX_PENDING, queue.length * 2));
    }
    queue[queued++] = check;
    if (inFlight == null && !flushScheduled) {
      // At the end of this event-loop turn, so the requests read in the same turn go together.
      flushScheduled = true;
      home.runOnContext(flushTask);
    }
  }

  private void flushIfIdle() {
    flushScheduled = false;
    if (inFlight == null) {
      flush();
    }
  }

  private void flush() {
    long now = System.nanoTime();
    int waiting = 0;
    for (int i = 0; i < queued; i++) {
      // The batch that just came back may have brought the cells these were queued for.
      if (!answerLocally(queue[i], now)) {
        queue[waiting++] = queue[i];
      }
    }
    Arrays.fill(queue, waiting, queued, null);
    queued = waiting;
    if (queued == 0) {
      return;
    }
    thread = Thread.currentThread();
    GcraBatch batch = new GcraBatch(queue, queued, now, budgets, limit, interval);
    queue = new RateCheck[queue.length];
    queued = 0;
    inFlight = batch;
    batch.timer = home.owner().setTimer(timeoutMs, id -> timedOut(batch));
    GCRA.send(redis, batch::appendArguments).onComplete(result -> onHome(batch, result));
  }

  private void onHome(GcraBatch batch, AsyncResult<Response> result) {
    if (Thread.currentThread() == thread) {
      answered(batch, result);
    } else {
      home.runOnContext(v -> answered(batch, result));
    }
  }

  private void answered(GcraBatch batch, AsyncResult<Response> result) {
    if (batch.settled) {
      return; // too late: its checks were settled by the timeout
    }
    batch.settled = true;
    home.owner().cancelTimer(batch.timer);
    inFlight = null;
    RuntimeException unreadable = null;
    if (result.succeeded()) {
      try {
        batch.read(result.result());
      } catch (RuntimeException e) {
        unreadable = e; // a reply it cannot read settles nothing before this
      }
    }
    flush(); // the checks that queued meanwhile go out before this batch's requests run on
    if (unreadable != null) {
      batch.fail(unreadable);
    } else if (result.succeeded()) {
      batch.settle();
    } else {
      batch.fail(result.cause());
    }
  }

  private boolean answerLocally(RateCheck check, long now) {
    try {
      return budgets.answer(check, now);
    } catch (RuntimeException e) {
      Log.errorf(e, "Rate check callback failed");
      return true; // it was answered; its callback failed
    }
  }

  private void timedOut(GcraBatch batch) {
    if (batch.settled) {
      return;
    }
    batch.settled = true;
    inFlight = null;
    TimeoutException late = new TimeoutException("No answer within " + timeoutMs + " ms");
    batch.fail(late);
    // The checks queued behind it would wait for the same silent Redis: none waits past the
    // timeout.
    RateCheck[] waiting = queue;
    int count = queued;
    queue = new RateCheck[queue.length];
    queued = 0;
    for (int i = 0; i < count; i++) {
      GcraBatch.tellUnavailable(waiting[i], late);
    }
  }
}
