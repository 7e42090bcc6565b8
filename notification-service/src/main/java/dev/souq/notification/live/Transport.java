package dev.souq.notification.live;

/**
 * How one live connection's messages leave: a WebSocket ({@link WebSocketTransport}) or a
 * Server-Sent Events response ({@link SseTransport}). Everything above it (routing, replay, the
 * bounded send queue) is the same for both. Writes and flushes happen on the connection's event
 * loop only; {@link #end} may be called from anywhere.
 */
abstract class Transport {
  /** Why the server ends a connection. */
  enum Ending {
    /** The client stopped reading and its send queue is full. */
    TOO_SLOW,
    /** Its session ended (logout, expiry). */
    SESSION_ENDED,
    /** This instance is stopping: the client reconnects at once, to whichever replica it meets. */
    RESTART
  }

  /** Hears, per frame, when the socket took it (true) or could not (false). */
  interface Written {
    void written(boolean success);
  }

  /** Unique among this instance's connections. */
  abstract String id();

  /** Writes {@code frame}, unflushed; the transport's {@link Written} hears when it left. */
  abstract void write(Frame frame);

  /** Flushes what {@link #write} left; called once per burst. */
  abstract void flush();

  /**
   * Sends what keeps a quiet connection open through proxies and tells the client nothing ({@link
   * KeepAlive}), flushed; on the connection's event loop.
   */
  abstract void keepAlive();

  /**
   * Ends the connection in the transport's own terms (a close code, or the end of the response).
   */
  abstract void end(Ending why);

  /** Whether the connection is already gone. */
  abstract boolean isClosed();
}
