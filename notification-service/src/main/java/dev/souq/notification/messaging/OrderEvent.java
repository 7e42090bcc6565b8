package dev.souq.notification.messaging;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.souq.shared.tracing.TraceParents;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * An order update ready to deliver: its stream offset, whose it is, the text every one of the
 * user's connections gets ({@code {"type":"order_update", …, "offset":…}}) as UTF-8, encoded once,
 * and the trace it continues (null: none, or not a well-formed traceparent). The bytes are never
 * changed once made; {@link #text} decodes them for the few paths that want a string.
 */
public record OrderEvent(StreamId offset, String userId, byte[] utf8, String traceparent) {
  /** What the publish script appends to every live message (order-update-publish.lua). */
  private static final byte[] STREAM_ID = ascii(",\"stream_id\":\"");

  private static final byte[] TYPE = ascii("{\"type\":\"order_update\",");
  private static final byte[] OFFSET = ascii(",\"offset\":\"");

  /** The text, decoded. */
  public String text() {
    return new String(utf8, StandardCharsets.UTF_8);
  }

  /**
   * A live message from {@code order_updates}, as Redis delivered its bytes; it carries its offset
   * as {@code stream_id}. Bytes that are not all ASCII are decoded and encoded again first, so a
   * malformed sequence becomes U+FFFD as it did when the message was read as a string: a text frame
   * must be valid UTF-8.
   */
  public static OrderEvent live(ObjectMapper json, byte[] message) {
    byte[] utf8 = isAscii(message) ? message : utf8(new String(message, StandardCharsets.UTF_8));
    OrderEvent fast = spliced(json, utf8);
    return fast != null ? fast : of(json, new String(utf8, StandardCharsets.UTF_8), null);
  }

  /**
   * The live path without a tree or a string: every live message is the published object with
   * {@code ,"stream_id":"<id>"} appended before its closing brace, and routing needs only the user
   * id. One streaming pass checks the object and finds {@code user_id}; the bytes sent are the
   * original members between {@code "type"} and {@code "offset"}, spliced, not parsed and
   * re-encoded (the tree path cost a parse, a copy and a serialisation per event, and strings cost
   * a decode, copies and an encode per event). ASCII markers cannot occur inside a multi-byte UTF-8
   * sequence, so searching the bytes finds what searching the text would. Null (and the tree path
   * decides) for anything unusual: no such suffix, anything before the opening brace, a top-level
   * {@code type}, {@code offset} or {@code stream_id} of its own, a duplicate key, no textual
   * {@code user_id}, or an id not written the way Redis writes one.
   */
  private static OrderEvent spliced(ObjectMapper json, byte[] message) {
    int n = message.length;
    int cut = lastIndexOf(message, STREAM_ID);
    // The members are spliced from byte 1 on: the object must open there, with no BOM or space
    // before it, which Jackson would skip and the splice would not.
    if (cut <= 1 || message[0] != '{' || message[n - 2] != '"' || message[n - 1] != '}') {
      return null;
    }
    int idFrom = cut + STREAM_ID.length;
    int idTo = n - 2;
    StreamId at = StreamId.parseCanonical(message, idFrom, idTo);
    if (at == null) {
      return null;
    }
    // The object without the suffix: the members and a closing brace.
    byte[] object = Arrays.copyOf(message, cut + 1);
    object[cut] = '}';
    Routing routing = routing(json, object);
    if (routing == null) {
      return null;
    }
    int members = cut - 1;
    int id = idTo - idFrom;
    byte[] text = new byte[TYPE.length + members + OFFSET.length + id + 2];
    System.arraycopy(TYPE, 0, text, 0, TYPE.length);
    System.arraycopy(message, 1, text, TYPE.length, members);
    System.arraycopy(OFFSET, 0, text, TYPE.length + members, OFFSET.length);
    System.arraycopy(message, idFrom, text, TYPE.length + members + OFFSET.length, id);
    text[text.length - 2] = '"';
    text[text.length - 1] = '}';
    return new OrderEvent(at, routing.userId(), text, TraceParents.valid(routing.traceparent()));
  }

  /** What routing reads of a message: its owner, and the trace it continues. */
  private record Routing(String userId, String traceparent) {}

  /**
   * The top-level textual user_id (and traceparent, if textual) of a plain object, or null (see
   * {@link #spliced}).
   */
  private static Routing routing(ObjectMapper json, byte[] object) {
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
          json.writeValueAsBytes(out),
          TraceParents.valid(object.path("traceparent").asText(null)));
    } catch (JsonProcessingException e) {
      return null;
    }
  }

  private static boolean isAscii(byte[] bytes) {
    for (byte b : bytes) {
      if (b < 0) {
        return false;
      }
    }
    return true;
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }

  /** Where {@code pattern} last starts in {@code bytes}, or -1. */
  private static int lastIndexOf(byte[] bytes, byte[] pattern) {
    for (int i = bytes.length - pattern.length; i >= 0; i--) {
      int j = 0;
      while (j < pattern.length && bytes[i + j] == pattern[j]) {
        j++;
      }
      if (j == pattern.length) {
        return i;
      }
    }
    return -1;
  }
}
