package dev.souq.shared.session;

import dev.souq.shared.redis.RedisPipelines;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.core.Context;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BiFunction;

/**
 * The session lookups ({@link WatchedSessions#peek}) of one event loop, sent to Redis in one
 * pipeline per round trip (group commit, as the rate limiter's checks go): while one pipeline is
 * out, the lookups that arrive wait, then go together (up to {@link #PER_PIPELINE}). Alone, each
 * lookup took a pooled connection for its round trip; in a reconnect storm, with the event loops
 * slow to read replies, the pool served ~50 a second, lookups queued for it longer than their
 * deadline, and none got through (bench/ws-storm.sh). Confined to its event loop: no locks.
 */
final class PeekBatcher {
  /** Lookups one loop queues while its pipelines are out; past that a lookup fails at once. */
  static final int MAX_WAITING = WatchedSessions.MAX_WAITING_PER_LOOP;

  /** Lookups in one pipeline: two commands each, as many as one pipeline sends at once. */
  static final int PER_PIPELINE = RedisPipelines.MAX_COMMANDS / 2;

  /**
   * How long the next pipeline waits for the one that is out before it goes too. The lookups of a
   * late pipeline keep waiting for their replies; their callers' deadlines bound the callers.
   */
  static final long PATIENCE_MS = 1000;

  private final long patienceMs;

  private static final RejectedExecutionException FULL =
      new RejectedExecutionException("Session lookup queue full") {
        @Override
        public synchronized Throwable fillInStackTrace() {
          return this;
        }
      };

  /**
   * Pipelines out at once: one, and a second once the first is over {@link #PATIENCE_MS} late; the
   * rest wait (or fail past {@link #MAX_WAITING}), so a slow Redis is not sent ever more.
   */
  static final int MAX_OUT = 2;

  private final BiFunction<Response, Response, WatchedSession> read;
  private final RedisPipelines pipelines;
  private final Context home;
  private final ArrayDeque<Peek> queue = new ArrayDeque<>();
  private int out;
  private int punctual; // pipelines out and not yet late
  private boolean flushScheduled;

  /** One lookup; {@code over} once its caller has an answer or has given up (cancelled). */
  private static final class Peek {
    final String id;
    final UniEmitter<? super WatchedSession> answer;
    volatile boolean over; // set on whichever thread ends it

    Peek(String id, UniEmitter<? super WatchedSession> answer) {
      this.id = id;
      this.answer = answer;
    }
  }

  /** One pipeline out; {@code late} once its patience ran out. */
  private static final class Pipeline {
    boolean late;
    boolean answered;
  }

  /**
   * A batcher for the event loop of {@code home}; {@code read} makes a GET and PTTL a session, and
   * the next pipeline goes once the one out is {@code patienceMs} late.
   */
  PeekBatcher(
      BiFunction<Response, Response, WatchedSession> read,
      RedisPipelines pipelines,
      Context home,
      long patienceMs) {
    this.read = read;
    this.patienceMs = patienceMs;
    this.pipelines = pipelines;
    this.home = home;
  }

  /** Queues a lookup of a well-formed {@code id}; call it on the home context's event loop. */
  void submit(String id, UniEmitter<? super WatchedSession> answer) {
    if (queue.size() == MAX_WAITING) {
      queue.removeIf(waiting -> waiting.over); // those given up on: only now worth a pass
    }
    if (queue.size() == MAX_WAITING) {
      answer.fail(FULL);
      return;
    }
    Peek peek = new Peek(id, answer);
    answer.onTermination(() -> peek.over = true);
    queue.add(peek);
    if (mayGo() && !flushScheduled) {
      // At the end of this event-loop turn, so the lookups of one turn go together.
      flushScheduled = true;
      home.runOnContext(
          v -> {
            flushScheduled = false;
            flush();
          });
    }
  }

  private boolean mayGo() {
    return punctual == 0 && out < MAX_OUT;
  }

  private void flush() {
    if (!mayGo()) {
      return;
    }
    List<Peek> batch = new ArrayList<>(Math.min(queue.size(), PER_PIPELINE));
    while (batch.size() < PER_PIPELINE && !queue.isEmpty()) {
      Peek peek = queue.poll();
      if (!peek.over) { // its caller gave up: not worth a round trip
        batch.add(peek);
      }
    }
    if (batch.isEmpty()) {
      return;
    }
    List<String> keys = new ArrayList<>(batch.size() * 2);
    List<Request> requests = new ArrayList<>(batch.size() * 2);
    for (Peek peek : batch) {
      String key = SessionStore.key(peek.id);
      keys.add(key);
      keys.add(key);
      requests.addAll(WatchedSessions.peeking(key));
    }
    Uni<List<Response>> replies;
    try {
      replies = pipelines.send(keys, requests);
    } catch (RuntimeException e) {
      batch.forEach(peek -> peek.answer.fail(e)); // none went: nothing out to count
      return;
    }
    Pipeline sent = new Pipeline();
    out++;
    punctual++;
    long patience = home.owner().setTimer(patienceMs, id -> late(sent));
    replies
        .subscribe()
        .with(
            got ->
                home.runOnContext(
                    v -> {
                      home.owner().cancelTimer(patience);
                      answered(sent);
                      answer(batch, got);
                    }),
            failure ->
                home.runOnContext(
                    v -> {
                      home.owner().cancelTimer(patience);
                      answered(sent);
                      batch.forEach(peek -> peek.answer.fail(failure));
                    }));
  }

  private void late(Pipeline sent) {
    if (!sent.answered && !sent.late) {
      sent.late = true;
      punctual--;
      flush();
    }
  }

  /** The lookups queued meanwhile go out before this pipeline's callers run on. */
  private void answered(Pipeline sent) {
    sent.answered = true;
    out--;
    if (!sent.late) {
      punctual--;
    }
    flush();
  }

  private void answer(List<Peek> batch, List<Response> replies) {
    for (int i = 0; i < batch.size(); i++) {
      UniEmitter<? super WatchedSession> answer = batch.get(i).answer;
      try {
        answer.complete(read.apply(replies.get(2 * i), replies.get(2 * i + 1)));
      } catch (RuntimeException e) {
        answer.fail(e); // one unreadable session fails its own lookup only
      }
    }
  }
}
