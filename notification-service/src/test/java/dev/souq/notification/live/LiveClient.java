package dev.souq.notification.live;

import io.vertx.core.json.JsonObject;
import java.util.List;

/** A test's browser tab on either transport: what it received. */
interface LiveClient extends AutoCloseable {
  /** The order updates received, in order. */
  List<JsonObject> updates();

  /** The offsets of the order updates received, in order. */
  default List<String> offsets() {
    return updates().stream().map(u -> u.getString("offset")).toList();
  }

  /** Stops reading from the socket, as a frozen tab would: the server's writes pile up. */
  void stopReading();

  @Override
  void close();
}
