package dev.souq.testing.hostile;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** Hostile cases that are not about a JSON body: ids in paths, traversal, headers and cookies. */
public final class RequestCases {
  private RequestCases() {}

  /**
   * Ids that are not plain ASCII digits, or past a long, for an endpoint with a numeric id: {@code
   * request} builds the call for one raw id (already percent-encoded where needed).
   */
  public static List<HostileCase> numericIds(String label, Function<String, Request> request) {
    List<HostileCase> cases = new ArrayList<>();
    Expect notFound = Expect.status(404);
    String[][] ids = {
      {"full-width 1 (U+FF11)", "%EF%BC%91"},
      {"Arabic-Indic 1 (U+0661)", "%D9%A1"},
      {"Devanagari 1 (U+0967)", "%E0%A5%A7"},
      {"mathematical bold 1 (U+1D7CF)", "%F0%9D%9F%8F"},
      {"superscript 1 (U+00B9)", "%C2%B9"},
      {"-1", "-1"},
      {"+1", "%2B1"},
      {"1.0", "1.0"},
      {"1e3", "1e3"},
      {"0x1", "0x1"},
      {"space then 1", "%201"},
      {"1 then NUL", "1%00"},
      {"NUL", "%00"},
      {"letters", "abc"},
      {"Long.MAX (no such id)", "9223372036854775807"},
    };
    for (String[] id : ids) {
      cases.add(new HostileCase("ids", label + " id " + id[0], request.apply(id[1]), notFound));
    }
    cases.add(
        new HostileCase(
            "ids",
            label + " id full-width 1 as raw bytes",
            request.apply(JsonBodyCases.utf8("\uff11")),
            notFound.orTransport()));
    cases.add(new HostileCase("ids", label + " id 0", request.apply("0"), Expect.status(400, 404)));
    cases.add(
        new HostileCase(
            "ids",
            label + " id Long.MAX + 1",
            request.apply("9223372036854775808"),
            Expect.status(400, 404)));
    cases.add(
        new HostileCase(
            "ids",
            label + " id of 30 digits",
            request.apply("9".repeat(30)),
            Expect.status(400, 404)));
    return cases;
  }

  /** Attempts to climb out of {@code prefix} (e.g. "/api/products/"): none may reach a file. */
  public static List<HostileCase> traversal(String prefix, String... headers) {
    String[] paths = {
      "../../../../etc/passwd",
      "..%2F..%2F..%2Fetc%2Fpasswd",
      "%2e%2e%2f%2e%2e%2fetc%2fpasswd",
      "%2e%2e/%2e%2e/%2e%2e/etc/passwd",
      "..%5C..%5C..%5Cetc%5Cpasswd",
      "%c0%ae%c0%ae/%c0%ae%c0%ae/etc/passwd",
      "....//....//etc/passwd",
      "..;/..;/etc/passwd",
      "1/..%00/etc/passwd",
      "%252e%252e%252fetc%252fpasswd",
    };
    List<HostileCase> cases = new ArrayList<>();
    for (String path : paths) {
      cases.add(
          new HostileCase(
              "path traversal",
              prefix + path,
              Request.of("GET", prefix + path, headers),
              Expect.status(404, 405).orTransport()));
    }
    return cases;
  }

  /**
   * Oversized and malformed headers on a plain GET that otherwise gets {@code ok}: the transport
   * refuses them (400, 413, 414, 431); nothing is a 5xx or a reset.
   */
  public static List<HostileCase> headers(String label, Request get, Expect ok) {
    List<HostileCase> cases = new ArrayList<>();
    Expect refused = Expect.refusedByTransport();
    cases.add(
        new HostileCase(
            "headers",
            label + " one 30 KB header",
            get.header("X-Big: " + "a".repeat(30_000)),
            refused));
    List<String> many = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      many.add("X-H" + i + ": " + "v".repeat(24));
    }
    Request manyHeaders = get;
    for (String line : many) {
      manyHeaders = manyHeaders.header(line);
    }
    cases.add(new HostileCase("headers", label + " 1000 headers", manyHeaders, refused));
    cases.add(
        new HostileCase(
            "headers",
            label + " 30 KB cookie",
            get.header("Cookie: c=" + "a".repeat(30_000)),
            refused));
    cases.add(
        new HostileCase(
            "headers",
            label + " 8 KB cookie (under the limit)",
            get.header("Cookie: c=" + "a".repeat(8_000)),
            ok));
    cases.add(
        new HostileCase(
            "headers",
            label + " 10 KB query string",
            new Request(
                get.method(),
                get.path() + (get.path().contains("?") ? "&" : "?") + "q=" + "a".repeat(10_000),
                get.headers(),
                null,
                true),
            refused));
    cases.add(
        new HostileCase(
            "headers", label + " header name with a space", get.header("Bad Name: x"), refused));
    cases.add(
        new HostileCase(
            "headers", label + " header without a colon", get.header("NoColonHere"), refused));
    cases.add(
        new HostileCase(
            "headers",
            label + " NUL in a header value",
            get.header("X-Nul: a\u0000b"),
            Expect.notAnError()));
    cases.add(
        new HostileCase(
            "headers",
            label + " obsolete line folding",
            get.header("X-Fold: a\r\n b"),
            Expect.notAnError()));
    cases.add(
        new HostileCase(
            "headers",
            label + " two different Content-Lengths",
            get.header("Content-Length: 1").header("Content-Length: 2"),
            refused));
    cases.add(
        new HostileCase(
            "headers",
            label + " negative Content-Length",
            get.header("Content-Length: -1"),
            refused));
    cases.add(
        new HostileCase(
            "headers",
            label + " Content-Length not a number",
            get.header("Content-Length: abc"),
            refused));
    cases.add(
        new HostileCase(
            "headers",
            label + " unknown Transfer-Encoding",
            get.header("Transfer-Encoding: gzip"),
            Expect.notAnError()));
    cases.add(
        new HostileCase(
            "headers",
            label + " unknown method",
            new Request("FOO", get.path(), get.headers(), null, true),
            Expect.rejected().orTransport()));
    cases.add(
        new HostileCase(
            "headers",
            label + " non-ASCII header value",
            get.header("X-Name: " + JsonBodyCases.utf8("\u0633\u0648\u0642\u202e")),
            ok));
    return cases;
  }
}
