package dev.souq.notification.messaging;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/**
 * A live message is routed from a splice of its text, not a parse and re-encode: whatever it holds,
 * the result must be what the tree path (the one replayed messages take) makes of the same message.
 */
class OrderEventTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final StreamId OFFSET = new StreamId(1732630000000L, 7);

  @Test
  void anOrdinaryUpdateIsSplicedIntoTheSameMessageAsTheTreePathMakes() throws Exception {
    String message =
        "{\"order_id\":42,\"status\":\"PAID\",\"timestamp\":\"2026-11-26T15:04:05Z\","
            + "\"previous_status\":null,\"user_id\":\"u_1\",\"event_id\":\"e\\u00e9\"}";
    OrderEvent live = live(published(message));
    assertEquals("u_1", live.userId());
    assertEquals(OFFSET, live.offset());
    assertEquals(
        "{\"type\":\"order_update\",\"order_id\":42,\"status\":\"PAID\","
            + "\"timestamp\":\"2026-11-26T15:04:05Z\",\"previous_status\":null,\"user_id\":\"u_1\","
            + "\"event_id\":\"e\\u00e9\",\"offset\":\"1732630000000-7\"}",
        live.text());
    assertSameAsTreePath(message);
  }

  @Test
  void unusualMessagesEndAsTheTreePathEndsThem() throws Exception {
    String[] messages = {
      "{\"type\":\"evil\",\"user_id\":\"u_1\",\"order_id\":1}", // a type of its own
      "{\"user_id\":\"u_1\",\"offset\":\"0-1\"}", // an offset of its own
      "{\"user_id\":\"u_1\",\"user_id\":\"u_2\"}", // a duplicate key
      "{\"nested\":{\"user_id\":\"u_2\"},\"user_id\":\"u_1\",\"list\":[{\"user_id\":\"u_3\"}]}",
      "{\"nested\":{\"user_id\":\"u_2\"}}", // a user id, but not the message's
      "{\"user_id\":42}", // not textual
      "[\"user_id\",\"u_1\"]", // not an object
      "{\"user_id\":\"u_1\"", // not JSON
      "{}",
      "{\"user_id\":\"u_1\",\"traceparent\":42}", // a traceparent, but not textual
      "\uFEFF{\"user_id\":\"u_1\"}", // a byte order mark before the object
      " {\"user_id\":\"u_1\"}", // a space before it
    };
    for (String message : messages) {
      assertSameAsTreePath(message);
    }
  }

  @Test
  void aTracedUpdateCarriesItsTraceparentToRoutingAndToTheBrowser() throws Exception {
    String traceparent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
    String message =
        "{\"order_id\":42,\"status\":\"PAID\",\"user_id\":\"u_1\",\"traceparent\":\""
            + traceparent
            + "\"}";
    assertEquals(traceparent, live(published(message)).traceparent());
    assertNull(live(published("{\"user_id\":\"u_1\"}")).traceparent());
    String garbled = "{\"user_id\":\"u_1\",\"traceparent\":\"00-not-a-trace\"}";
    assertNull(live(published(garbled)).traceparent(), "malformed: none");
    assertSameAsTreePath(garbled);
    assertSameAsTreePath(message);
  }

  @Test
  void aMessageWithoutTheScriptsSuffixIsNotAnOrderUpdateUnlessItCarriesAStreamId() {
    assertNull(live("{\"user_id\":\"u_1\",\"order_id\":1}"));
    assertNull(live("{\"user_id\":\"u_1\",\"stream_id\":\"not-an-id\"}"));
    OrderEvent moved = live("{\"stream_id\":\"5-0\",\"user_id\":\"u_1\",\"order_id\":1}");
    assertEquals(new StreamId(5, 0), moved.offset());
    assertEquals("u_1", moved.userId());
  }

  @Test
  void aLiveMessageWhoseIdIsNoStreamIdIsSkipped() {
    assertNull(live("{\"user_id\":\"u_1\",\"stream_id\":\"😀\"}"));
    assertNull(live("{\"user_id\":\"u_1\",\"stream_id\":\"12345😀\"}"));
  }

  @Test
  void anIdNotWrittenAsRedisWritesItTakesTheTreePathWithTheSameResult() {
    OrderEvent padded = live("{\"user_id\":\"u_1\",\"order_id\":1,\"stream_id\":\"05-0\"}");
    assertEquals(new StreamId(5, 0), padded.offset());
    assertEquals(
        "{\"type\":\"order_update\",\"user_id\":\"u_1\",\"order_id\":1,\"offset\":\"5-0\"}",
        padded.text());
  }

  @Test
  void bytesBeyondAsciiAreSentAsValidUtf8() throws Exception {
    // Valid UTF-8 passes as it came; a malformed sequence becomes U+FFFD, as a decode made it.
    byte[] valid = published("{\"user_id\":\"u_1\",\"note\":\"café\"}").getBytes(UTF_8);
    OrderEvent live = OrderEvent.live(JSON, valid);
    assertEquals("café", JSON.readTree(live.text()).get("note").asText());
    assertArrayEquals(live.text().getBytes(UTF_8), live.utf8());
    String text = published("{\"user_id\":\"u_1\",\"note\":\"caf#\"}");
    byte[] malformed = text.getBytes(UTF_8);
    malformed[text.indexOf('#')] = (byte) 0xC3; // a lead byte without its continuation
    OrderEvent mended = OrderEvent.live(JSON, malformed);
    assertEquals("caf\uFFFD", JSON.readTree(mended.text()).get("note").asText());
    assertArrayEquals(mended.text().getBytes(UTF_8), mended.utf8());
  }

  /** The live message's bytes, as Redis delivers them. */
  private static OrderEvent live(String message) {
    return OrderEvent.live(JSON, message.getBytes(UTF_8));
  }

  /** The live message as the publish script sends it: the stream id appended. */
  private static String published(String message) {
    return message.substring(0, message.length() - 1) + ",\"stream_id\":\"" + OFFSET + "\"}";
  }

  private static void assertSameAsTreePath(String message) throws Exception {
    OrderEvent live = live(published(message));
    OrderEvent tree = OrderEvent.stored(JSON, message, OFFSET);
    if (tree == null) {
      assertNull(live, message);
      return;
    }
    assertEquals(tree.userId(), live.userId(), message);
    assertEquals(tree.traceparent(), live.traceparent(), message);
    assertEquals(tree.offset(), live.offset(), message);
    assertEquals(JSON.readTree(tree.text()), JSON.readTree(live.text()), message);
  }
}
