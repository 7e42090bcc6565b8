package dev.souq.testing.hostile;

import java.util.Arrays;
import java.util.Set;
import java.util.function.IntPredicate;
import java.util.stream.Collectors;

/**
 * What a hostile case must get back. Never a 5xx (the probe checks that first); a 4xx that the
 * application produced must be problem+json. Statuses that Netty answers before the application
 * sees the request (an oversized header, a broken request line) are exempt from that check.
 */
public record Expect(String description, IntPredicate accepts, Set<Integer> plainAllowed) {
  private static final Set<Integer> TRANSPORT = Set.of(400, 413, 414, 431);

  /** Exactly one of these statuses. */
  public static Expect status(int... codes) {
    Set<Integer> allowed = Arrays.stream(codes).boxed().collect(Collectors.toSet());
    return new Expect(
        allowed.stream().sorted().map(String::valueOf).collect(Collectors.joining(" or ")),
        allowed::contains,
        Set.of());
  }

  /** Any 2xx: the input is valid and must be taken. */
  public static Expect success() {
    return new Expect("2xx", code -> code >= 200 && code < 300, Set.of());
  }

  /** Any 4xx. */
  public static Expect rejected() {
    return new Expect("4xx", code -> code >= 400 && code < 500, Set.of());
  }

  /** Refused before the application: 400, 413, 414 or 431, whatever the body. */
  public static Expect refusedByTransport() {
    return new Expect("400, 413, 414 or 431", TRANSPORT::contains, TRANSPORT);
  }

  /** Anything but a 5xx, a reset or a hang: for inputs a server may take or refuse. */
  public static Expect notAnError() {
    return new Expect("not 5xx", code -> code >= 200 && code < 500, TRANSPORT);
  }

  /** The same statuses, but a plain (non-problem) body is allowed for the transport's codes. */
  public Expect orTransport() {
    return new Expect(
        description + " (or a transport refusal)", accepts.or(TRANSPORT::contains), TRANSPORT);
  }

  /** Whether a 4xx with this status must carry application/problem+json. */
  public boolean needsProblem(int status) {
    return status >= 400 && status < 500 && !plainAllowed.contains(status);
  }
}
