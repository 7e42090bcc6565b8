package dev.souq.notification.websocket;

import dev.souq.notification.messaging.OrderStream;
import dev.souq.notification.messaging.StreamId;
import dev.souq.notification.metrics.NotificationMetrics;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;

/**
 * Replays a user's events after an offset from {@code order_updates:stream}, then switches the
 * connection to live. Live events that arrive meanwhile wait in the connection, and each event is
 * sent only if it is after the last one sent, so the switch has neither a gap nor a duplicate. An
 * offset older than the stream's first entry may have lost events to trimming: the answer is {@code
 * reload}.
 */
@Singleton
class Resumption {
  private final OrderStream stream;
  private final NotificationMetrics metrics;

  Resumption(OrderStream stream, NotificationMetrics metrics) {
    this.stream = stream;
    this.metrics = metrics;
  }

  Uni<Void> resume(Listener listener, StreamId since) {
    if (!listener.startReplay()) {
      return Uni.createFrom().voidItem();
    }
    return stream
        .first()
        .chain(
            first -> {
              if (first == null || since.compareTo(first) < 0) {
                return Uni.createFrom().item(false);
              }
              return stream
                  .after(
                      since,
                      event -> {
                        if (event.userId().equals(listener.userId())) {
                          listener.replay(event);
                        }
                      })
                  .replaceWith(true);
            })
        .invoke(
            replayed -> {
              metrics.resume(replayed);
              listener.resumed(replayed ? Replies.RESUMED : Replies.RELOAD);
            })
        .onFailure()
        .recoverWithItem(
            failure -> {
              // Redis could not be read: the client cannot know what it missed.
              Log.debugf("Replay failed: %s", failure.toString());
              listener.resumed(Replies.RELOAD);
              return false;
            })
        .replaceWithVoid();
  }
}
