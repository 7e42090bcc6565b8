package dev.souq.shared.ratelimit;

import io.smallrye.mutiny.operators.AbstractUni;
import io.smallrye.mutiny.subscription.UniSubscriber;
import io.smallrye.mutiny.subscription.UniSubscription;
import jakarta.ws.rs.core.Response;

/**
 * A request's rate check and the filter's answer in one object: the Uni that REST waits on is the
 * check the batcher settles, so an admitted request costs this one allocation and no operator
 * chain. Emits null (go on) when admitted, else the 429 or 503 response.
 */
final class PendingCheck extends AbstractUni<Response> implements RateCheck, UniSubscription {
  private final RateLimitFilter filter;
  private final String key;
  private UniSubscriber<? super Response> subscriber;
  private boolean done;
  private Response result;
  private boolean admitted;
  private long remaining;
  private long resetMs;

  PendingCheck(RateLimitFilter filter, String key) {
    this.filter = filter;
    this.key = key;
  }

  @Override
  public String key() {
    return key;
  }

  @Override
  public void admitted(long remaining, long resetMs) {
    this.remaining = remaining;
    this.resetMs = resetMs;
    this.admitted = true;
    complete(null);
  }

  @Override
  public void refused(long retryMs, long resetMs) {
    complete(filter.refusal(state(0, resetMs), retryMs));
  }

  @Override
  public void unavailable(Throwable failure) {
    complete(filter.unavailable(failure));
  }

  /** Admitted already, on this thread: the batcher answered from what its event loop holds. */
  boolean admittedNow() {
    return admitted;
  }

  /** The RateLimit header of an admitted request, or null. */
  String admittedState() {
    return admitted ? state(remaining, resetMs) : null;
  }

  static String state(long remaining, long resetMs) {
    return "\"per-ip\";r=" + remaining + ";t=" + Math.max(0, (resetMs + 999) / 1000);
  }

  @Override
  public void subscribe(UniSubscriber<? super Response> subscriber) {
    boolean settled;
    synchronized (this) {
      this.subscriber = subscriber;
      settled = done;
    }
    subscriber.onSubscribe(this);
    if (settled) {
      subscriber.onItem(result);
    }
  }

  private void complete(Response response) {
    UniSubscriber<? super Response> waiting;
    synchronized (this) {
      result = response;
      done = true;
      waiting = subscriber;
    }
    if (waiting != null) {
      waiting.onItem(response);
    }
  }

  @Override
  public void cancel() {
    // Nothing to stop: the batch it rides in is shared with other requests.
  }
}
