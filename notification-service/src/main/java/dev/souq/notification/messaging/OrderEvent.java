package dev.souq.notification.messaging;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.souq.shared.tracing.TraceParents;
import java.io.IOException;

/**
 * An order update ready to deliver: its stream offset, whose it is, the text every one of the
 * user's connections gets ({@code {"type":"order_update", …, "offset":…}}), encoded once, and the
 * trace it continues (null: none, or not a well-formed traceparent).
 */
public record OrderEvent(StreamId offset, String userId, String text, String traceparent) {
  /** What the publish script appends to every live message (order-update-publish.lua). */
  private static final String STREAM_ID = ",\"stream_id\":\"";

  /** A live message from {@code order_updates}, which carries its offset as {@code stream_id}. */
  public static OrderEvent live(ObjectMapper json, String message) {
    OrderEvent fast = spliced(json, message);
    return fast != null ? fast : of(json, message, null);
  }

  /**
   * The live path without a tree: every live message is the published object with {@code
   * ,"stream_id":"<id>"} appended before its closing brace, and routing needs only the user id. One
   * streaming pass checks the object and finds {@code user_id}; the text sent is the original
   * members between {@code "type"} and {@code "offset"}, spliced, not parsed and re-encoded (the
   * tree path cost a parse, a copy and a serialisation per event). Null (and the tree path decides)
   * for anything unusual: no such suffix, a top-level {@code type}, {@code offset} or {@code
   * stream_id} of its own, a duplicate key, or no textual {@code user_id}.
   */
  private static OrderEvent spliced(ObjectMapper json, String message) {
    int cut = message.lastIndexOf(STREAM_ID);
    if (cut <= 1 || !message.endsWith("\"}")) {
      return null;
    }
    StreamId at = StreamId.parse(message.substring(cut + STREAM_ID.length(), message.length() - 2));
    if (at == null) {
      return null;
    }
    String members = message.substring(1, cut);
    Routing routing = routing(json, message.substring(0, cut) + "}");
    if (routing == null) {
      return null;
    }
    String text = "{\"type\":\"order_update\"," + members + ",\"offset\":\"" + at + "\"}";
    return new OrderEvent(at, routing.userId(), text, TraceParents.valid(routing.traceparent()));
  }

  /** What routing reads of a message: its owner, and the trace it continues. */
  private record Routing(String userId, String traceparent) {}

  /**
   * The top-level textual user_id (and traceparent, if textual) of a plain object, or null (see
   * {@link #spliced}).
   */
  private static Routing routing(ObjectMapper json, String object) {
    try (JsonParser parser = json.getFactory().createParser(object)) {
      parser.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      String userId = null;
      String traceparent = null;
      for (JsonToken token = parser.nextToken();
          token == JsonToken.FIELD_NAME;
          token = parser.nextToken()) {
        String name = parser.currentName();
        JsonToken value = parser.nextToken();
        switch (name) {
          case "type", "offset", "stream_id" -> {
            return null;
          }
          case "user_id" -> {
            if (value != JsonToken.VALUE_STRING) {
              return null;
            }
            userId = parser.getText();
          }
          case "traceparent" ->
              traceparent = value == JsonToken.VALUE_STRING ? parser.getText() : null;
          default -> parser.skipChildren();
        }
      }
      // The object must end here, with nothing after it.
      return userId != null
              && parser.currentToken() == JsonToken.END_OBJECT
              && parser.nextToken() == null
          ? new Routing(userId, traceparent)
          : null;
    } catch (IOException e) {
      return null;
    }
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
      return new OrderEvent(
          at,
          object.get("user_id").asText(),
          json.writeValueAsString(out),
          TraceParents.valid(object.path("traceparent").asText(null)));
    } catch (JsonProcessingException e) {
      return null;
    }
  }
}
