package dev.souq.testing.hostile;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Generates the hostile cases of one endpoint that takes a JSON body, from a template of a valid
 * body ({@code ${field}} marks each value) and what each field accepts. Values are built as Latin-1
 * strings, one char per byte, so a case can hold bytes that are not UTF-8.
 */
public final class JsonBodyCases {
  /**
   * What text a string field takes beyond the rules every string has (no NUL, no lone surrogate).
   */
  public enum Text {
    /** Anything: controls and bidirectional overrides too (an opaque key). */
    FREE,
    /** Prose: tabs and line breaks, no other controls, no bidirectional overrides. */
    PROSE,
    /** One line: no controls at all, no bidirectional overrides. */
    LINE,
    /** A code with an ASCII pattern: nothing else. */
    CODE
  }

  private enum Kind {
    STRING,
    INTEGER,
    JSON
  }

  private record Field(
      String name,
      String valid,
      Kind kind,
      Text text,
      int maxLength,
      long min,
      long max,
      boolean int32,
      boolean required) {}

  /** How long the {@code {{uniq}}} token is once replaced. */
  public static final int UNIQ_LENGTH = 12;

  private final String label;
  private final Request base;
  private final String template;
  private final Map<String, Field> fields = new LinkedHashMap<>();
  private Expect success = Expect.success();
  private Expect emptyBody = Expect.status(400);
  private String authorization;
  private int limit = -1;

  private JsonBodyCases(String label, Request base, String template) {
    this.label = label;
    this.base = base;
    this.template = template;
  }

  /**
   * An endpoint: {@code base} carries method, path and the headers a valid call needs (not the
   * Content-Type), {@code template} a valid body with {@code ${name}} for each field's value.
   */
  public static JsonBodyCases of(String label, Request base, String template) {
    return new JsonBodyCases(label, base, template);
  }

  /** What a valid body gets (default: any 2xx). */
  public JsonBodyCases success(Expect expect) {
    this.success = expect;
    return this;
  }

  /** What a call without a body gets (default: 400). */
  public JsonBodyCases emptyBody(Expect expect) {
    this.emptyBody = expect;
    return this;
  }

  /**
   * The operator header ({@code "Authorization: Bearer …"}): adds missing and wrong token cases.
   */
  public JsonBodyCases operator(String header) {
    this.authorization = header;
    return this;
  }

  /** The body size limit in bytes: adds cases just under and over it. */
  public JsonBodyCases limit(int bytes) {
    this.limit = bytes;
    return this;
  }

  /**
   * A required string field; {@code valid} is its content unquoted; {@code maxLength} 0 if none.
   */
  public JsonBodyCases string(String name, String valid, Text text, int maxLength) {
    return string(name, valid, text, maxLength, true);
  }

  /** A string field that may be null or absent. */
  public JsonBodyCases optionalString(String name, String valid, Text text, int maxLength) {
    return string(name, valid, text, maxLength, false);
  }

  private JsonBodyCases string(
      String name, String valid, Text text, int maxLength, boolean required) {
    fields.put(
        name, new Field(name, quote(valid), Kind.STRING, text, maxLength, 0, 0, false, required));
    return this;
  }

  /** A whole-number field with its bounds; {@code int32} if it is a Java int. */
  public JsonBodyCases integer(
      String name, long valid, long min, long max, boolean int32, boolean required) {
    fields.put(
        name,
        new Field(name, Long.toString(valid), Kind.INTEGER, null, 0, min, max, int32, required));
    return this;
  }

  /** A free-form JSON object field (a payload): nesting and the rules for every string in it. */
  public JsonBodyCases json(String name, String valid) {
    fields.put(name, new Field(name, valid, Kind.JSON, Text.FREE, 0, 0, 0, false, false));
    return this;
  }

  /** Every case for this endpoint. */
  public List<HostileCase> cases() {
    List<HostileCase> cases = new ArrayList<>();
    String valid = render(Map.of());
    malformed(cases, valid);
    duplicates(cases);
    trailing(cases, valid);
    nesting(cases);
    media(cases, valid);
    empty(cases);
    size(cases, valid);
    tokens(cases, valid);
    for (Field field : fields.values()) {
      switch (field.kind) {
        case STRING -> strings(cases, field);
        case INTEGER -> numbers(cases, field);
        case JSON -> payload(cases, field);
      }
    }
    return cases;
  }

  // --- malformed and truncated ---

  private void malformed(List<HostileCase> cases, String valid) {
    String[] bodies = {
      "{",
      "}",
      "[",
      "]",
      "{]",
      "{}}",
      "{,}",
      "{\"a\"}",
      "{\"a\":}",
      "{\"a\" 1}",
      "{'a':1}",
      "{a:1}",
      "{\"a\":1,}",
      "[1,]",
      "/* comment */ {}",
      "{\"a\":undefined}",
      "{\"a\":NaN}",
      "\"text\"",
      "123",
      "true",
      "[]",
      "{\"a\":\"unterminated",
      "\u00ff\u00fe{}",
      "\u00ef\u00bb\u00bf\u00ef\u00bb\u00bf{}",
      "{\"a\":\"\\x41\"}",
      "{\"a\":\"\\u12\"}",
      "{\"a\":\"\\\"}",
      "<xml/>"
    };
    for (String body : bodies) {
      cases.add(json("malformed", "body " + printable(body), body, Expect.status(400)));
    }
    int[] cuts = {
      1, valid.length() / 4, valid.length() / 2, valid.length() * 3 / 4, valid.length() - 1
    };
    for (int cut : cuts) {
      cases.add(
          json(
              "truncated", "after " + cut + " bytes", valid.substring(0, cut), Expect.status(400)));
    }
  }

  // --- duplicate keys ---

  private void duplicates(List<HostileCase> cases) {
    for (Field field : fields.values()) {
      String pair = "\"" + field.name + "\":${" + field.name + "}";
      String once = "\"" + field.name + "\":" + field.valid;
      String[][] variants = {
        {"same value twice", once + "," + once},
        {"null then a valid value", "\"" + field.name + "\":null," + once},
        {"valid value then null", once + ",\"" + field.name + "\":null"},
        {"different case", once + ",\"" + field.name.toUpperCase() + "\":" + field.valid}
      };
      for (String[] variant : variants) {
        String body = fill(template.replace(pair, variant[1]), Map.of());
        cases.add(json("duplicate keys", field.name + ": " + variant[0], body, Expect.status(400)));
      }
    }
  }

  // --- trailing data ---

  private void trailing(List<HostileCase> cases, String valid) {
    String[] tails = {"x", "{}", "[]", ",", " 1", "\u0000", valid, "// comment", "\u00ff", "}"};
    for (String tail : tails) {
      cases.add(json("trailing data", "+ " + printable(tail), valid + tail, Expect.status(400)));
    }
    cases.add(json("trailing data", "+ whitespace (allowed)", valid + " \n\t\r ", success));
  }

  // --- deep nesting ---

  private void nesting(List<HostileCase> cases) {
    cases.add(
        json(
            "deep nesting",
            "10000 arrays as the body",
            nest("[", "]", 10_000, ""),
            Expect.status(400)));
    cases.add(
        json(
            "deep nesting",
            "300 objects as the body",
            nest("{\"a\":", "}", 300, "1"),
            Expect.status(400)));
    Field first = fields.values().iterator().next();
    for (int depth : new int[] {50, 201, 5000}) {
      cases.add(
          json(
              "deep nesting",
              first.name + " = " + depth + " nested arrays",
              render(Map.of(first.name, nest("[", "]", depth, ""))),
              Expect.status(400)));
    }
  }

  // --- media types and charsets ---

  private void media(List<HostileCase> cases, String valid) {
    byte[] body = bytes(valid);
    String[][] refused = {
      {"no Content-Type", null},
      {"*/*", "*/*"},
      {"application/*", "application/*"},
      {"text/plain", "text/plain"},
      {"application/xml", "application/xml"},
      {"form", "application/x-www-form-urlencoded"},
      {"multipart", "multipart/form-data; boundary=x"},
      {"json-patch", "application/json-patch+json"},
      {"problem+json", "application/problem+json"},
      {"not a media type", "json"},
      {"charset=no-such-charset", "application/json; charset=no-such-charset"},
      {"charset=latin1", "application/json; charset=latin1"},
      {"charset=ISO-8859-1", "application/json; charset=ISO-8859-1"},
      {"charset=us-ascii", "application/json; charset=us-ascii"},
      {"charset=utf-16 with UTF-8 bytes", "application/json; charset=utf-16"},
    };
    for (String[] type : refused) {
      Request request = base.body(body);
      if (type[1] != null) {
        request = request.header("Content-Type: " + type[1]);
      }
      cases.add(
          new HostileCase(
              "media type", label + " " + type[0], authorized(request), Expect.status(415)));
    }
    cases.add(
        new HostileCase(
            "media type",
            label + " charset=utf-16 with UTF-16 bytes",
            authorized(
                base.body(valid.getBytes(StandardCharsets.UTF_16))
                    .header("Content-Type: application/json; charset=utf-16")),
            Expect.status(415)));
    String[] accepted = {
      "application/json; charset=UTF-8", "application/json;charset=utf-8", "APPLICATION/JSON"
    };
    for (String type : accepted) {
      cases.add(
          new HostileCase(
              "media type",
              label + " " + type + " (allowed)",
              authorized(base.body(body).header("Content-Type: " + type)),
              success));
    }
  }

  // --- empty bodies ---

  private void empty(List<HostileCase> cases) {
    cases.add(
        new HostileCase(
            "empty body", label + " no body, no Content-Type", authorized(base), emptyBody));
    cases.add(
        new HostileCase(
            "empty body",
            label + " no body, application/json",
            authorized(base.header("Content-Type: application/json")),
            emptyBody));
    cases.add(
        new HostileCase(
            "empty body",
            label + " Content-Length: 0",
            authorized(base.body(new byte[0]).header("Content-Type: application/json")),
            emptyBody));
    cases.add(json("empty body", "whitespace only", "  \n ", emptyBody));
    cases.add(json("empty body", "the literal null", "null", emptyBody));
  }

  // --- size limits ---

  private void size(List<HostileCase> cases, String valid) {
    if (limit < 0) {
      return;
    }
    cases.add(json("size limit", "exactly " + limit + " bytes", pad(valid, limit), success));
    cases.add(json("size limit", limit + 1 + " bytes", pad(valid, limit + 1), Expect.status(413)));
    cases.add(json("size limit", 4 * limit + " bytes", pad(valid, 4 * limit), Expect.status(413)));
    cases.add(
        new HostileCase(
            "size limit",
            label + " chunked, " + (limit - 1024) + " bytes",
            authorized(jsonRequest(pad(valid, limit - 1024)).chunked()),
            success));
    cases.add(
        new HostileCase(
            "size limit",
            label + " chunked, " + (limit + 1) + " bytes",
            authorized(jsonRequest(pad(valid, limit + 1)).chunked()),
            Expect.status(413)));
  }

  // --- operator token ---

  private void tokens(List<HostileCase> cases, String valid) {
    if (authorization == null) {
      return;
    }
    String token = authorization.substring(authorization.indexOf("Bearer ") + 7);
    String[][] wrong = {
      {"no token", null},
      {"wrong token", "Authorization: Bearer nope"},
      {
        "token off by one char",
        "Authorization: Bearer " + token.substring(0, token.length() - 1) + "x"
      },
      {"token with a suffix", "Authorization: Bearer " + token + "x"},
      {"Basic scheme", "Authorization: Basic dGVzdDp0ZXN0"},
      {"scheme only", "Authorization: Bearer"},
      {"empty header", "Authorization:"},
      {"10 KB token", "Authorization: Bearer " + "a".repeat(10_000)},
      {"non-ASCII token", "Authorization: Bearer \u00e9\u00e9"},
    };
    for (String[] header : wrong) {
      Request request = jsonRequest(valid);
      if (header[1] != null) {
        request = request.header(header[1]);
      }
      cases.add(
          new HostileCase("operator token", label + " " + header[0], request, Expect.status(401)));
    }
  }

  // --- strings ---

  private static final String[][] ALWAYS_REFUSED = {
    {"NUL escaped", "\\u0000"},
    {"NUL raw byte", "\u0000"},
    {"overlong NUL (C0 80)", "\u00c0\u0080"},
    {"overlong slash (C0 AF)", "\u00c0\u00af"},
    {"overlong 3-byte (E0 80 80)", "\u00e0\u0080\u0080"},
    {"invalid bytes FF FE", "\u00ff\u00fe"},
    {"lone continuation byte 80", "\u0080"},
    {"UTF-8 encoded surrogate (ED A0 80)", "\u00ed\u00a0\u0080"},
    {"code point past U+10FFFF (F4 90 80 80)", "\u00f4\u0090\u0080\u0080"},
    {"truncated sequence (E2 82)", "\u00e2\u0082"},
    {"lone high surrogate escaped", "\\ud800"},
    {"lone low surrogate escaped", "\\udc00"},
    {"reversed surrogate pair", "\\udc00\\ud83d"},
    {"high surrogate then a letter", "\\ud83dx"},
    {"raw tab byte", "\t"},
    {"raw line feed byte", "\n"},
    {"invalid escape", "\\q"},
  };

  private void strings(List<HostileCase> cases, Field field) {
    for (String[] attack : ALWAYS_REFUSED) {
      cases.add(string(field, "invalid text", attack[0], attack[1], Expect.status(400)));
    }
    Expect restricted = field.text == Text.FREE ? success : Expect.status(400);
    Expect prose =
        field.text == Text.FREE || field.text == Text.PROSE ? success : Expect.status(400);
    Expect unicode = field.text == Text.CODE ? Expect.status(400) : success;
    cases.add(string(field, "controls", "U+0001 escaped", "\\u0001", restricted));
    cases.add(string(field, "controls", "ANSI escape", "\\u001b[31m", restricted));
    cases.add(string(field, "controls", "DEL", "\\u007f", restricted));
    cases.add(string(field, "controls", "C1 NEL (U+0085)", "\\u0085", restricted));
    cases.add(string(field, "controls", "tab and line feed escaped", "\\t\\n", prose));
    cases.add(string(field, "bidi", "RTL override U+202E raw", utf8("\u202e"), restricted));
    cases.add(string(field, "bidi", "RTL override U+202E escaped", "\\u202e", restricted));
    cases.add(string(field, "bidi", "LRE U+202A", "\\u202a", restricted));
    cases.add(string(field, "bidi", "isolate U+2068", "\\u2068", restricted));
    cases.add(string(field, "valid unicode", "Arabic text", utf8("\u0633\u0648\u0642"), unicode));
    cases.add(
        string(field, "valid unicode", "emoji as a surrogate pair", "\\ud83d\\ude00", unicode));
    cases.add(string(field, "valid unicode", "emoji as raw UTF-8", utf8("\ud83d\ude00"), unicode));
    String[][] notStrings = {
      {"a number", "5"}, {"true", "true"}, {"an object", "{}"}, {"an array", "[\"a\"]"}
    };
    for (String[] value : notStrings) {
      cases.add(value(field, "string: wrong type", value[0], value[1], Expect.status(400)));
    }
    cases.add(
        value(
            field,
            "string: wrong type",
            "null",
            "null",
            field.required ? Expect.status(400) : success));
    if (field.maxLength > 0) {
      cases.add(
          value(
              field,
              "string: length",
              "at the maximum " + field.maxLength,
              quote(padTo(field, field.maxLength)),
              success));
      cases.add(
          value(
              field,
              "string: length",
              "one over " + field.maxLength,
              quote(padTo(field, field.maxLength + 1)),
              Expect.status(400)));
    }
  }

  private HostileCase string(
      Field field, String category, String name, String insert, Expect expect) {
    String content = field.valid.substring(1, field.valid.length() - 1);
    return value(field, "string: " + category, name, quote(content + insert + "z"), expect);
  }

  private HostileCase value(
      Field field, String category, String name, String value, Expect expect) {
    return json(category, field.name + " " + name, render(Map.of(field.name, value)), expect);
  }

  private String padTo(Field field, int length) {
    String content = field.valid.substring(1, field.valid.length() - 1);
    int resolved = content.length() + count(content, "{{uniq}}") * (UNIQ_LENGTH - 8);
    return content + "a".repeat(Math.max(0, length - resolved));
  }

  // --- numbers ---

  private void numbers(List<HostileCase> cases, Field field) {
    Expect nullValue = field.required ? Expect.status(400) : success;
    BigInteger min = BigInteger.valueOf(field.min);
    BigInteger max = BigInteger.valueOf(field.max);
    String[][] bounds = {
      {"the minimum", min.toString()},
      {"the maximum", max.toString()},
      {"one below the minimum", min.subtract(BigInteger.ONE).toString()},
      {"one above the maximum", max.add(BigInteger.ONE).toString()},
      {"-0", "-0"},
      {"2^31", "2147483648"},
      {"Long.MAX", Long.toString(Long.MAX_VALUE)},
      {"Long.MAX + 1", "9223372036854775808"},
      {"Long.MIN - 1", "-9223372036854775809"},
      {"1000 digits", "9".repeat(1000)},
      {"1001 digits", "9".repeat(1001)},
    };
    for (String[] bound : bounds) {
      BigInteger value = new BigInteger(bound[1]);
      boolean fits =
          value.compareTo(min) >= 0
              && value.compareTo(max) <= 0
              && (!field.int32 || value.bitLength() < 32);
      cases.add(
          number(field, "number bounds", bound[0], bound[1], fits ? success : Expect.status(400)));
    }
    String[][] formats = {
      {"1.5", "1.5"},
      {"1.0", "1.0"},
      {"1e2", "1e2"},
      {"1E+2", "1E+2"},
      {"1e400", "1e400"},
      {"-1e400", "-1e400"},
      {"1e-400", "1e-400"},
      {"a string", "\"1\""},
      {"true", "true"},
      {"an array", "[1]"},
      {"an object", "{}"},
      {"leading zero", "01"},
      {"plus sign", "+1"},
      {"bare fraction", ".5"},
      {"trailing dot", "1."},
      {"hex", "0x10"},
      {"NaN", "NaN"},
      {"Infinity", "Infinity"},
      {"-Infinity", "-Infinity"},
      {"underscore", "1_000"},
      {"full-width digit", utf8("\uff11")},
      {"full-width digit string", quote(utf8("\uff11"))}
    };
    for (String[] format : formats) {
      cases.add(number(field, "number format", format[0], format[1], Expect.status(400)));
    }
    cases.add(number(field, "number format", "null", "null", nullValue));
  }

  private HostileCase number(
      Field field, String category, String name, String value, Expect expect) {
    return json(category, field.name + " = " + name, render(Map.of(field.name, value)), expect);
  }

  // --- free JSON ---

  private void payload(List<HostileCase> cases, Field field) {
    cases.add(
        number(
            field,
            "deep nesting",
            "150 nested objects (allowed)",
            nest("{\"a\":", "}", 150, "{}"),
            success));
    cases.add(
        number(
            field,
            "deep nesting",
            "250 nested objects",
            nest("{\"a\":", "}", 250, "{}"),
            Expect.status(400)));
    cases.add(
        number(
            field,
            "deep nesting",
            "250 nested arrays",
            "{\"a\":" + nest("[", "]", 250, "") + "}",
            Expect.status(400)));
    String[][] refused = {
      {"NUL in a value", "{\"a\":\"x\\u0000\"}"},
      {"NUL in a key", "{\"a\\u0000\":1}"},
      {"lone surrogate in a value", "{\"a\":\"\\ud800\"}"},
      {"lone surrogate in a key", "{\"\\udfff\":1}"},
      {"overlong UTF-8 in a value", "{\"a\":\"\u00c0\u0080\"}"},
      {"duplicate key inside", "{\"a\":1,\"a\":2}"},
      {"number overflowing to infinity", "{\"a\":1e400}"},
      {"NUL deep inside an array", "{\"a\":[[\"\\u0000\"]]}"},
    };
    for (String[] value : refused) {
      cases.add(number(field, "string: invalid text", value[0], value[1], Expect.status(400)));
    }
    String[][] allowed = {
      {"RTL override (an opaque payload)", "{\"a\":\"\\u202e\"}"},
      {"Long.MAX + 1 (a payload keeps big numbers)", "{\"a\":9223372036854775808}"},
      {"emoji key", "{\"\\ud83d\\ude00\":1}"},
    };
    for (String[] value : allowed) {
      cases.add(number(field, "string: valid unicode", value[0], value[1], success));
    }
  }

  // --- helpers ---

  private HostileCase json(String category, String name, String body, Expect expect) {
    return new HostileCase(category, label + " " + name, authorized(jsonRequest(body)), expect);
  }

  private Request jsonRequest(String body) {
    return base.body(bytes(body)).header("Content-Type: application/json");
  }

  private Request authorized(Request request) {
    return authorization == null ? request : request.header(authorization);
  }

  private String render(Map<String, String> overrides) {
    return fill(template, overrides);
  }

  private String fill(String text, Map<String, String> overrides) {
    String result = text;
    for (Field field : fields.values()) {
      result =
          result.replace("${" + field.name + "}", overrides.getOrDefault(field.name, field.valid));
    }
    return result;
  }

  private static String pad(String valid, int size) {
    int room = size - valid.length() - count(valid, "{{uniq}}") * (UNIQ_LENGTH - 8);
    if (room < 0) {
      throw new IllegalArgumentException("the valid body is longer than " + size);
    }
    return "{" + " ".repeat(room) + valid.substring(1);
  }

  private static String nest(String open, String close, int depth, String inner) {
    return open.repeat(depth) + inner + close.repeat(depth);
  }

  private static String quote(String content) {
    return "\"" + content + "\"";
  }

  /** The UTF-8 bytes of {@code text}, one Latin-1 char per byte. */
  public static String utf8(String text) {
    return new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
  }

  static byte[] bytes(String latin1) {
    return latin1.getBytes(StandardCharsets.ISO_8859_1);
  }

  private static int count(String text, String token) {
    int n = 0;
    for (int i = text.indexOf(token); i >= 0; i = text.indexOf(token, i + 1)) {
      n++;
    }
    return n;
  }

  private static String printable(String text) {
    StringBuilder out = new StringBuilder();
    for (char c : text.toCharArray()) {
      out.append(c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format("\\x%02X", (int) c));
      if (out.length() > 40) {
        return out + "…";
      }
    }
    return out.toString();
  }
}
