package dev.souq.notification.messaging;

/**
 * Where the subscriber hands what it reads from Redis: the WebSocket layer above implements it, so
 * messaging never imports websocket.
 */
public interface OrderEventSink {
  /** A live event, for its user's connections on this instance. */
  void deliver(OrderEvent event);

  /** Events were lost beyond what the stream keeps: every connection must re-fetch. */
  void reloadAll();

  /** The session ended (logout): its connections on this instance are ended now. */
  void sessionEnded(String userId, String sessionId);
}
