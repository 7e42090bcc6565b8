package dev.souq.notification.live;

import dev.souq.notification.config.NotificationConfig;
import dev.souq.notification.messaging.OrderStream;
import dev.souq.notification.messaging.StreamId;
import dev.souq.notification.metrics.NotificationMetrics;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;
import java.time.Duration;

/**
 * Replays a user's events after an offset from their own stream beside {@code
 * order_updates:stream}, then switches the connection to live. Live events that arrive meanwhile
 * wait in the connection, and each event is sent only if it is after the last one sent, so the
 * switch has neither a gap nor a duplicate. An offset from before what the user's stream still
 * holds may have lost events: the answer is {@code reload}. A replay costs Redis the user's own
 * events (at most a few hundred), and a connection may ask for one per {@code resume-interval}.
 */
@Singleton
class Resumption {
  /** Far above a replay's few milliseconds; a Redis that takes longer is not answering. */
  private static final Duration REPLAY_TIMEOUT = Duration.ofSeconds(5);

  private final OrderStream stream;
  private final NotificationMetrics metrics;
  private final long intervalNanos;
  private final Frame tooSoon;

  Resumption(OrderStream stream, NotificationMetrics metrics, NotificationConfig config) {
    this.stream = stream;
    this.metrics = metrics;
    this.intervalNanos = config.resumeInterval().toNanos();
    this.tooSoon =
        Frame.control(
            Replies.error(
                "one resume per " + config.resumeInterval().toSeconds() + " s: try again later"));
  }

  Uni<Void> resume(Listener listener, StreamId since) {
    if (!listener.sequence().mayResume(intervalNanos)) {
      metrics.resumeRefused();
      listener.sequence().control(tooSoon);
      return Uni.createFrom().voidItem();
    }
    if (!listener.sequence().startReplay()) {
      return Uni.createFrom().voidItem();
    }
    return replayHeld(listener, since);
  }

  /**
   * A resume at open ({@code ?since=}, Last-Event-ID), before the connection is admitted: its live
   * events are held from the start. Admitted first, a live event could reach it ahead of the older
   * ones the replay then sends. {@link #replayHeld} follows once it is admitted.
   */
  void holdAtOpen(Listener listener) {
    listener.sequence().mayResume(intervalNanos); // counts as its resume: a fresh connection may
    listener.sequence().startReplay();
  }

  /** Sends what {@code listener} missed after {@code since}, then what was held meanwhile. */
  Uni<Void> replayHeld(Listener listener, StreamId since) {
    return stream
        .userAfter(listener.userId(), since, listener.sequence()::replay)
        // The client's live updates wait for the replay: a reply that never comes (a Redis
        // connection gone half-open) must not hold them back for good.
        .ifNoItem()
        .after(REPLAY_TIMEOUT)
        .fail()
        .invoke(
            replay ->
                metrics.resume(listener.sequence().resumed(replay.complete()), replay.entries()))
        .onFailure()
        .recoverWithItem(
            failure -> {
              // Redis could not be read in time: the client cannot know what it missed.
              Log.debugf("Replay failed: %s", failure.toString());
              listener.sequence().resumed(false);
              return null;
            })
        .replaceWithVoid();
  }
}
