package dev.souq.notification.messaging;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * An order update ready to deliver: its stream offset, whose it is, and the text every one of the
 * user's connections gets ({@code {"type":"order_update", …, "offset":…}}), encoded once.
 */
public record OrderEvent(StreamId offset, String userId, String text) {

  /** A live message from {@code order_updates}, which carries its offset as {@code stream_id}. */
  public static OrderEvent live(ObjectMapper json, String message) {
    return of(json, message, null);
  }

  /** A message read from {@code order_updates:stream} at {@code offset}. */
  public static OrderEvent stored(ObjectMapper json, String message, StreamId offset) {
    return of(json, message, offset);
  }

  /**
   * Null if the message is not an order update with a user and an offset: such a message is
   * skipped, never a crashed subscriber.
   */
  private static OrderEvent of(ObjectMapper json, String message, StreamId offset) {
    try {
      JsonNode node = json.readTree(message);
      if (!(node instanceof ObjectNode object) || !object.path("user_id").isTextual()) {
        return null;
      }
      StreamId at = offset != null ? offset : StreamId.parse(object.path("stream_id").asText(null));
      if (at == null) {
        return null;
      }
      object.remove("stream_id");
      ObjectNode out = json.createObjectNode().put("type", "order_update");
      out.setAll(object);
      out.put("offset", at.toString());
      return new OrderEvent(at, object.get("user_id").asText(), json.writeValueAsString(out));
    } catch (JsonProcessingException e) {
      return null;
    }
  }
}
