package dev.souq.notification.live;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.souq.shared.session.Session;
import dev.souq.shared.session.SessionStore;
import dev.souq.testing.Management;
import dev.souq.testing.SouqTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Hostile input on {@code /ws/orders}: forged and malformed sessions and offsets in the handshake,
 * frames that break RFC 6455, invalid UTF-8, oversized messages, malformed JSON and floods. Each
 * case names what the server must do: refuse the upgrade with a 4xx, close with one of the named
 * codes, or answer with a message and keep the connection usable. None may cost the server itself:
 * the last case is a well-behaved browser that still gets its update.
 */
@QuarkusTest
@WithTestResource(value = SouqTestResource.class, scope = TestResourceScope.GLOBAL)
class HostileSocketTest {
  private static final Duration PATIENCE = Duration.ofSeconds(15);

  /** The connection ended without a close frame. */
  private static final int DROPPED = -1;

  @TestHTTPResource("/")
  URI base;

  @Inject SessionStore sessions;
  @Inject Listeners listeners;

  /** What the server must do with a case. */
  private record Expect(List<Integer> refusedWith, List<Integer> closedWith, String answer) {
    static Expect refused(Integer... statuses) {
      return new Expect(List.of(statuses), List.of(), null);
    }

    static Expect closed(Integer... codes) {
      return new Expect(List.of(), List.of(codes), null);
    }

    /** Refused with {@code status}, or upgraded and then closed with {@code code}. */
    static Expect refusedOrClosed(int status, int code) {
      return new Expect(List.of(status), List.of(code), null);
    }

    /** A message of this type, and the connection still serves a resume afterwards. */
    static Expect answered(String type) {
      return new Expect(List.of(), List.of(), type);
    }

    @Override
    public String toString() {
      if (answer != null) {
        return "answers " + answer + " and stays open";
      }
      return refusedWith.isEmpty() ? "closes with " + closedWith : "refuses with " + refusedWith;
    }
  }

  /**
   * One hostile case: the upgrade's target and extra header lines (null = the session cookie of a
   * fresh guest), what to send once open, and what must happen.
   */
  private record Case(
      String category,
      String name,
      String target,
      byte[] headers,
      Consumer<RawSocket> send,
      Expect expect) {}

  @TestFactory
  Stream<DynamicTest> everyHostileCaseIsAnsweredAndNoneHurtsTheServer() {
    Publisher.publish(Shoppers.create(sessions).userId(), Publisher.order(), "PENDING");
    List<Case> cases = new ArrayList<>();
    cases.addAll(sessions());
    cases.addAll(offsets());
    cases.addAll(frames());
    cases.addAll(messages());
    cases.addAll(floods());
    Stream<DynamicTest> hostile =
        cases.stream()
            .map(
                c ->
                    DynamicTest.dynamicTest(
                        c.category() + ": " + c.name() + " → " + c.expect(), () -> run(c)));
    DynamicTest healthy =
        DynamicTest.dynamicTest(
            "after all of them a well-behaved browser still gets its update", this::stillServes);
    return Stream.concat(hostile, Stream.of(healthy));
  }

  private void run(Case c) {
    byte[] headers = c.headers() != null ? c.headers() : cookie(Shoppers.create(sessions));
    Expect expect = c.expect();
    try (RawSocket socket = RawSocket.open(base, c.target(), headers)) {
      if (socket.status() != 101) {
        assertTrue(
            expect.refusedWith().contains(socket.status()), "upgrade answered " + socket.status());
        return;
      }
      assertTrue(
          !expect.closedWith().isEmpty() || expect.answer() != null,
          "the upgrade should have been refused");
      c.send().accept(socket);
      if (expect.answer() == null) {
        await().atMost(PATIENCE).until(socket::ended);
        assertTrue(
            expect.closedWith().contains(closeCode(socket)),
            "closed with " + closeCode(socket) + " after " + socket.texts());
        return;
      }
      await().atMost(PATIENCE).until(() -> typeOf(socket.texts(), expect.answer()));
      socket.sendText("{\"type\":\"resume\",\"since\":\"9999999999999-0\"}");
      // Resumed, or, if the case resumed already, refused as too soon: either way it answers.
      await()
          .atMost(PATIENCE)
          .until(
              () ->
                  typeOf(socket.texts(), "resumed")
                      || socket.texts().stream().anyMatch(t -> t.contains("one resume per")));
      assertNull(socket.closeCode(), "the connection must stay open");
    } finally {
      Management.given().get("/q/health/live").then().statusCode(200);
    }
  }

  private void stillServes() {
    Session user = Shoppers.create(sessions);
    try (Browser browser = Browser.open(base, user.sessionId(), null)) {
      await().atMost(PATIENCE).until(() -> Shoppers.connections(listeners, user) == 1);
      String offset = Publisher.publish(user.userId(), Publisher.order(), "PAID");
      await().atMost(PATIENCE).until(() -> browser.updates().size() == 1);
      assertEquals(offset, browser.updates().get(0).getString("offset"));
    }
  }

  // ---- handshake: sessions, cookies, headers ------------------------------------------------

  private static List<Case> sessions() {
    String c = "handshake";
    List<Case> cases = new ArrayList<>();
    Expect noSession = Expect.closed(1008);
    cases.add(handshake(c, "no cookie, no ?session=", "/ws/orders", "", noSession));
    cases.add(
        handshake(c, "forged session id", "/ws/orders", cookieLine("A".repeat(43)), noSession));
    cases.add(handshake(c, "empty session cookie", "/ws/orders", cookieLine(""), noSession));
    cases.add(
        handshake(c, "quoted session cookie", "/ws/orders", cookieLine("\"abc\""), noSession));
    cases.add(
        handshake(c, "4 KB session cookie", "/ws/orders", cookieLine("x".repeat(4096)), noSession));
    cases.add(
        handshake(c, "Redis key pattern as session", "/ws/orders", cookieLine("*"), noSession));
    cases.add(
        handshake(
            c, "another key's name as session", "/ws/orders", cookieLine("../tasks"), noSession));
    cases.add(
        handshake(
            c, "cookie without a value", "/ws/orders", "Cookie: SOUQ_SESSION\r\n", noSession));
    cases.add(
        handshake(
            c, "cookie header of separators", "/ws/orders", "Cookie: ;;;===;\r\n", noSession));
    cases.add(
        new Case(
            c,
            "session cookie with raw UTF-8",
            "/ws/orders",
            bytes("Cookie: SOUQ_SESSION=", new byte[] {(byte) 0xd8, (byte) 0xa7}, "\r\n"),
            s -> {},
            Expect.closed(1008)));
    cases.add(
        new Case(
            c,
            "session cookie with a NUL byte",
            "/ws/orders",
            bytes("Cookie: SOUQ_SESSION=ab", new byte[] {0}, "cd\r\n"),
            s -> {},
            Expect.refusedOrClosed(400, 1008)));
    cases.add(
        handshake(c, "?session= forged", "/ws/orders?session=" + "B".repeat(43), "", noSession));
    cases.add(
        handshake(
            c,
            "?session= malformed escape",
            "/ws/orders?session=%ZZ",
            "",
            Expect.refusedOrClosed(400, 1008)));
    cases.add(handshake(c, "?session= NUL escape", "/ws/orders?session=%00", "", noSession));
    cases.add(
        handshake(
            c, "?session= path traversal", "/ws/orders?session=../../etc/passwd", "", noSession));
    cases.add(
        handshake(
            c,
            "?session= 6 KB",
            "/ws/orders?session=" + "s".repeat(6000),
            "",
            Expect.refusedOrClosed(414, 1008)));
    Expect tooLarge = Expect.refused(400, 413, 414, 431);
    cases.add(handshake(c, "40 KB cookie", "/ws/orders", cookieLine("y".repeat(40_000)), tooLarge));
    cases.add(
        handshake(
            c, "20 KB query string", "/ws/orders?session=" + "q".repeat(20_000), "", tooLarge));
    cases.add(handshake(c, "200 headers of 100 bytes", "/ws/orders", repeatHeader(200), tooLarge));
    cases.add(
        handshake(
            c, "header line without a colon", "/ws/orders", "Garbage\r\n", Expect.refused(400)));
    cases.add(
        new Case(
            c,
            "header with a bare CR",
            "/ws/orders",
            bytes("X-Evil: a\rb\r\n"),
            s -> {},
            Expect.refused(400)));
    cases.add(
        handshake(
            c,
            "dot segments in the path, no session",
            "/ws/../ws/orders",
            "",
            Expect.refusedOrClosed(404, 1008)));
    return cases;
  }

  // ---- handshake: ?since= ----------------------------------------------------------------

  private static List<Case> offsets() {
    String c = "?since=";
    List<Case> cases = new ArrayList<>();
    Expect error = Expect.answered("error");
    for (String bad :
        List.of(
            "abc",
            "-1",
            "1",
            "1-",
            "-0",
            "1-0-0",
            "18446744073709551616-0",
            "99999999999999999999999-0",
            "%00",
            "1-0%00",
            "%E2%80%AE1-0",
            "%EF%BC%91-0",
            "",
            "1.5-0",
            "0x10-0",
            "1+-0")) {
      cases.add(withSession(c, "malformed offset '" + bad + "'", "/ws/orders?since=" + bad, error));
    }
    cases.add(
        new Case(
            c,
            "raw space in the offset",
            "/ws/orders?since=1 -0",
            null,
            s -> {},
            Expect.refused(400)));
    cases.add(
        withSession(c, "trimmed offset 1-0", "/ws/orders?since=1-0", Expect.answered("reload")));
    cases.add(
        withSession(
            c, "future offset", "/ws/orders?since=9999999999999-0", Expect.answered("resumed")));
    cases.add(
        withSession(
            c,
            "largest offset accepted (19 digits each)",
            "/ws/orders?since=9999999999999999999-9999999999999999999",
            Expect.answered("resumed")));
    cases.add(
        withSession(
            c,
            "20-digit offset",
            "/ws/orders?since=18446744073709551615-18446744073709551615",
            error));
    return cases;
  }

  // ---- frames that break RFC 6455 ------------------------------------------------------------

  private static List<Case> frames() {
    String c = "frame";
    List<Case> cases = new ArrayList<>();
    // Failing the connection may be a close frame or just a TCP close (RFC 6455 §7.1.7).
    Expect protocol = Expect.closed(1002, DROPPED);
    Expect invalidUtf8 = Expect.closed(1007, DROPPED);
    // Vert.x allows extension bits (it offers permessage-deflate): the payload is read as usual.
    Expect RSV = Expect.answered("error");
    cases.add(
        frame(
            c, "binary frame", s -> s.send(RawSocket.BINARY, utf8("hello")), Expect.closed(1003)));
    cases.add(
        frame(
            c,
            "empty binary frame",
            s -> s.send(RawSocket.BINARY, new byte[0]),
            Expect.closed(1003)));
    byte[][] badUtf8 = {
      {(byte) 0xff},
      {(byte) 0xc0, (byte) 0x80},
      {(byte) 0xed, (byte) 0xa0, (byte) 0x80},
      {(byte) 0xe2, (byte) 0x82},
      {(byte) 0xf8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80},
      {(byte) 0xf4, (byte) 0x90, (byte) 0x80, (byte) 0x80},
      {'{', '"', (byte) 0x80, '"', '}'},
    };
    String[] utf8Names = {
      "0xFF",
      "overlong NUL C0 80",
      "UTF-16 surrogate ED A0 80",
      "truncated E2 82",
      "5-byte sequence",
      "above U+10FFFF",
      "lone continuation byte in JSON"
    };
    for (int i = 0; i < badUtf8.length; i++) {
      byte[] payload = badUtf8[i];
      cases.add(
          frame(
              c,
              "invalid UTF-8 text: " + utf8Names[i],
              s -> s.send(RawSocket.TEXT, payload),
              invalidUtf8));
    }
    cases.add(
        frame(
            c,
            "text of exactly 4096 bytes",
            s -> s.sendText("a".repeat(4096)),
            Expect.answered("error")));
    cases.add(
        frame(c, "text of 4097 bytes", s -> s.sendText("a".repeat(4097)), Expect.closed(1009)));
    cases.add(
        frame(
            c,
            "text of 70,000 bytes",
            s -> s.sendText("a".repeat(70_000)),
            Expect.closed(1009, DROPPED)));
    cases.add(
        frame(
            c,
            "header claiming 2^62 bytes",
            s ->
                s.sendRaw(
                    new byte[] {(byte) 0x81, (byte) 0xff, 0x40, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4}),
            Expect.closed(1009, 1002, DROPPED)));
    cases.add(frame(c, "unmasked text frame", s -> s.sendFrame(0x81, utf8("{}"), false), protocol));
    cases.add(frame(c, "RSV1 set", s -> s.sendFrame(0xC1, utf8("{}"), true), RSV));
    cases.add(frame(c, "RSV2 set", s -> s.sendFrame(0xA1, utf8("{}"), true), RSV));
    cases.add(frame(c, "RSV3 set", s -> s.sendFrame(0x91, utf8("{}"), true), RSV));
    cases.add(
        frame(c, "reserved data opcode 0x3", s -> s.sendFrame(0x83, utf8("x"), true), protocol));
    cases.add(
        frame(c, "reserved control opcode 0xB", s -> s.sendFrame(0x8B, utf8("x"), true), protocol));
    cases.add(
        frame(
            c, "continuation without a start", s -> s.sendFrame(0x80, utf8("x"), true), protocol));
    cases.add(
        frame(
            c,
            "new text frame inside a fragmented one",
            s -> {
              s.sendFrame(0x01, utf8("{\"type\":"), true);
              s.sendFrame(0x81, utf8("{}"), true);
            },
            protocol));
    cases.add(
        frame(
            c,
            "ping with a 126-byte payload",
            s -> s.sendFrame(0x89, new byte[126], true),
            protocol));
    cases.add(frame(c, "fragmented ping", s -> s.sendFrame(0x09, utf8("x"), true), protocol));
    cases.add(
        frame(
            c,
            "close with code 999",
            s -> s.send(RawSocket.CLOSE, new byte[] {0x03, (byte) 0xe7}),
            protocol));
    cases.add(
        frame(
            c,
            "close with reserved code 1005",
            s -> s.send(RawSocket.CLOSE, new byte[] {0x03, (byte) 0xed}),
            protocol));
    cases.add(
        frame(
            c,
            "close with a 1-byte payload",
            s -> s.send(RawSocket.CLOSE, new byte[] {0x03}),
            protocol));
    cases.add(
        frame(
            c,
            "close with an invalid UTF-8 reason",
            s -> s.send(RawSocket.CLOSE, new byte[] {0x03, (byte) 0xe8, (byte) 0xff}),
            Expect.closed(1007, 1002, DROPPED)));
    cases.add(
        frame(
            c,
            "normal close",
            s -> s.send(RawSocket.CLOSE, new byte[] {0x03, (byte) 0xe8}),
            Expect.closed(1000)));
    cases.add(
        frame(
            c,
            "resume split over two fragments",
            s -> {
              s.sendFrame(0x01, utf8("{\"type\":\"resume\","), true);
              s.sendFrame(0x80, utf8("\"since\":\"1-0\"}"), true);
            },
            Expect.answered("reload")));
    cases.add(
        frame(
            c,
            "unsolicited pong then resume",
            s -> {
              s.sendFrame(0x8A, utf8("pong"), true);
              s.sendText("{\"type\":\"resume\",\"since\":\"1-0\"}");
            },
            Expect.answered("reload")));
    return cases;
  }

  // ---- messages: the JSON a client sends -----------------------------------------------------

  private static List<Case> messages() {
    String c = "message";
    List<Case> cases = new ArrayList<>();
    Expect error = Expect.answered("error");
    List<String> bad =
        List.of(
            "not json",
            "",
            " ",
            "null",
            "[]",
            "123",
            "\"resume\"",
            "{}",
            "{\"type\":\"resume\"}",
            "{\"type\":\"resume\",\"since\":123}",
            "{\"type\":\"resume\",\"since\":{}}",
            "{\"type\":\"resume\",\"since\":[]}",
            "{\"type\":\"resume\",\"since\":null}",
            "{\"type\":\"resume\",\"since\":\"yesterday\"}",
            "{\"type\":\"resume\",\"since\":\"-1-0\"}",
            "{\"type\":\"resume\",\"since\":\"18446744073709551616-0\"}",
            "{\"type\":\"resume\",\"since\":\"1-0\\u0000\"}",
            "{\"type\":\"resume\",\"since\":\"\\u202e1-0\"}",
            "{\"type\":\"resume\",\"since\":\"\\ud800\"}",
            "{\"type\":\"resume\",\"since\":\"１-0\"}",
            "{\"type\":\"RESUME\",\"since\":\"1-0\"}",
            "{\"type\":\"resume\",\"since\":\"" + "9".repeat(4000) + "\"}",
            "{\"type\":\"resume\",\"since\":\"1-0\"",
            "{\"type\":\"resume\",\"since\":\"1-0\"}}",
            "{\"type\":\"resume\",\"since\":\"1-0\"}garbage",
            "{\"type\":\"resume\",\"type\":\"x\",\"since\":\"1-0\"}",
            "{\"type\":\"resume\",\"since\":\"1-0\",\"since\":\"x\"}",
            "{'type':'resume','since':'1-0'}",
            "[".repeat(2000) + "]".repeat(2000),
            "{\"a\":".repeat(600) + "1" + "}".repeat(600));
    for (String text : bad) {
      String name =
          text.length() > 48 ? text.substring(0, 48) + "… (" + text.length() + " chars)" : text;
      cases.add(frame(c, "'" + name + "'", s -> s.sendText(text), error));
    }
    cases.add(
        frame(
            c,
            "resume with a trimmed offset",
            s -> s.sendText("{\"type\":\"resume\",\"since\":\"1-0\"}"),
            Expect.answered("reload")));
    cases.add(
        frame(
            c,
            "resume with an unknown extra field",
            s -> s.sendText("{\"type\":\"resume\",\"since\":\"1-0\",\"x\":1}"),
            Expect.answered("reload")));
    return cases;
  }

  // ---- floods ------------------------------------------------------------------------------

  private static List<Case> floods() {
    String c = "flood";
    List<Case> cases = new ArrayList<>();
    Expect cutOff = Expect.closed(1008);
    cases.add(
        frame(
            c,
            "1,000 resumes",
            s -> repeat(s, 1000, "{\"type\":\"resume\",\"since\":\"1-0\"}"),
            cutOff));
    cases.add(frame(c, "1,000 malformed messages", s -> repeat(s, 1000, "nope"), cutOff));
    cases.add(frame(c, "1,000 empty messages", s -> repeat(s, 1000, ""), cutOff));
    cases.add(
        frame(
            c,
            "100 fragments of one message then 4 KB more",
            s -> {
              for (int i = 0; i < 100; i++) {
                s.sendFrame(i == 0 ? 0x01 : 0x00, utf8("a".repeat(40)), true);
              }
              s.sendFrame(0x80, utf8("a".repeat(4096)), true);
            },
            Expect.closed(1009)));
    return cases;
  }

  private static void repeat(RawSocket socket, int times, String text) {
    for (int i = 0; i < times; i++) {
      socket.sendText(text);
    }
  }

  // ---- building cases ----------------------------------------------------------------------

  private static Case handshake(
      String category, String name, String target, String headers, Expect expect) {
    return new Case(category, name, target, bytes(headers), s -> {}, expect);
  }

  private static Case withSession(String category, String name, String target, Expect expect) {
    return new Case(category, name, target, null, s -> {}, expect);
  }

  private static Case frame(String category, String name, Consumer<RawSocket> send, Expect expect) {
    return new Case(category, name, "/ws/orders", null, send, expect);
  }

  private static byte[] cookie(Session session) {
    return bytes(cookieLine(session.sessionId()));
  }

  private static String cookieLine(String value) {
    return "Cookie: SOUQ_SESSION=" + value + "\r\n";
  }

  private static String repeatHeader(int count) {
    StringBuilder headers = new StringBuilder();
    for (int i = 0; i < count; i++) {
      headers.append("X-Pad-").append(i).append(": ").append("h".repeat(100)).append("\r\n");
    }
    return headers.toString();
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] bytes(Object... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Object part : parts) {
      out.writeBytes(
          part instanceof byte[] raw ? raw : ((String) part).getBytes(StandardCharsets.UTF_8));
    }
    return out.toByteArray();
  }

  private static int closeCode(RawSocket socket) {
    return socket.closeCode() == null ? DROPPED : socket.closeCode();
  }

  private static boolean typeOf(List<String> texts, String type) {
    return texts.stream().anyMatch(t -> type.equals(new JsonObject(t).getString("type")));
  }
}
