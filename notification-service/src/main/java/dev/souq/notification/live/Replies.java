package dev.souq.notification.live;

/** The control messages of {@code /ws/orders} (docs/contract.md, WebSocket). */
final class Replies {
  private Replies() {}

  /** The replay is complete; live updates follow. */
  static final String RESUMED = "{\"type\":\"resumed\"}";

  /** The offset is older than the stream keeps: re-fetch the orders from the REST API. */
  static final String RELOAD = "{\"type\":\"reload\"}";

  /** The client sent something this endpoint does not understand. */
  static String error(String detail) {
    return "{\"type\":\"error\",\"detail\":\"" + detail.replace("\"", "'") + "\"}";
  }
}
