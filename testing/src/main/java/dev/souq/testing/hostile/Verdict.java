package dev.souq.testing.hostile;

/** Checks an answer against its case; every failure names the case. */
public final class Verdict {
  private Verdict() {}

  /** Sends the case's request (already resolved) and checks the answer. */
  public static HttpProbe.Reply check(HostileCase c, HttpProbe probe, Request resolved) {
    HttpProbe.Reply reply;
    try {
      reply = probe.send(resolved);
    } catch (AssertionError e) {
      throw new AssertionError(c + ": " + e.getMessage(), e);
    }
    int status = reply.status();
    if (status >= 500) {
      throw new AssertionError(c + ": got " + status + " " + reply.text());
    }
    if (!c.expect().accepts().test(status)) {
      throw new AssertionError(
          c + ": expected " + c.expect().description() + " but got " + status + " " + reply.text());
    }
    if (c.expect().needsProblem(status)
        && !reply.contentType().startsWith("application/problem+json")) {
      throw new AssertionError(
          c
              + ": a "
              + status
              + " must be application/problem+json, was '"
              + reply.contentType()
              + "' "
              + reply.text());
    }
    return reply;
  }
}
