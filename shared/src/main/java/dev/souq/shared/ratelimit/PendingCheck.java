package dev.souq.shared.ratelimit;

import io.smallrye.mutiny.operators.AbstractUni;
import io.smallrye.mutiny.subscription.UniSubscriber;
import io.smallrye.mutiny.subscription.UniSubscription;
import jakarta.ws.rs.core.Response;

/**
 * A request's rate checks (one per budget it spends) and the filter's answer in one object: the Uni
 * that REST waits on is settled by the checks' batchers, so an admitted request costs a few small
 * allocations and no operator chain. Emits null (go on) once every budget admitted it, else the
 * first 429 or 503. The first budget is the route's: the one its headers report.
 */
final class PendingCheck extends AbstractUni<Response> implements UniSubscription {
  private final RateLimiter limiter;
  private final boolean mayFailOpen;
  private final RatePolicy shown;
  private int waiting;
  private UniSubscriber<? super Response> subscriber;
  private boolean done;
  private Response result;
  private boolean admitted;
  private boolean stateKnown;
  private long remaining;
  private long resetMs;

  PendingCheck(RateLimiter limiter, RatePolicy shown, int budgets) {
    this(limiter, shown, budgets, true);
  }

  /** {@code mayFailOpen}: false for a budget that must hold even while Redis is away. */
  PendingCheck(RateLimiter limiter, RatePolicy shown, int budgets, boolean mayFailOpen) {
    this.limiter = limiter;
    this.mayFailOpen = mayFailOpen;
    this.shown = shown;
    this.waiting = budgets;
  }

  /** The check of one budget, for the limiter; its policy and the client's key in it. */
  RateCheck spend(RatePolicy policy, String key) {
    return new Part(policy, key);
  }

  /** Admitted already, on this thread: the batchers answered from what their loop holds. */
  synchronized boolean admittedNow() {
    return admitted;
  }

  /** The RateLimit header of an admitted request, or null (also when its budget was not asked). */
  synchronized String admittedState() {
    return admitted && stateKnown ? shown.state(remaining, resetMs) : null;
  }

  /** The route's policy, as {@code RateLimit-Policy} names it. */
  RatePolicy shown() {
    return shown;
  }

  private void admit(RatePolicy policy, long left, long reset, boolean known) {
    boolean all;
    synchronized (this) {
      if (done) {
        return;
      }
      if (policy == shown) {
        remaining = left;
        resetMs = reset;
        stateKnown = known;
      }
      all = --waiting == 0;
      admitted = all;
    }
    if (all) {
      complete(null);
    }
  }

  private void refuse(RatePolicy policy, long retryMs, long reset) {
    if (!isDone()) {
      complete(limiter.refusal(policy, policy.state(0, reset), retryMs));
    }
  }

  private void fail(RatePolicy policy, Throwable failure) {
    if (isDone()) {
      return;
    }
    Response unavailable = mayFailOpen ? limiter.unavailable(failure) : limiter.unavailableClosed();
    if (unavailable == null) {
      admit(policy, 0, 0, false); // fail-open: this budget lets it through, state unknown
    } else {
      complete(unavailable);
    }
  }

  private synchronized boolean isDone() {
    return done;
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
    UniSubscriber<? super Response> waitingSubscriber;
    synchronized (this) {
      if (done) {
        return;
      }
      result = response;
      done = true;
      waitingSubscriber = subscriber;
    }
    if (waitingSubscriber != null) {
      waitingSubscriber.onItem(response);
    }
  }

  @Override
  public void cancel() {
    // Nothing to stop: the batches it rides in are shared with other requests.
  }

  /** One budget's check of this request. */
  private final class Part implements RateCheck {
    private final RatePolicy policy;
    private final String key;

    Part(RatePolicy policy, String key) {
      this.policy = policy;
      this.key = key;
    }

    @Override
    public String key() {
      return key;
    }

    @Override
    public void admitted(long remaining, long resetMs) {
      admit(policy, remaining, resetMs, true);
    }

    @Override
    public void refused(long retryMs, long resetMs) {
      refuse(policy, retryMs, resetMs);
    }

    @Override
    public void unavailable(Throwable failure) {
      fail(policy, failure);
    }
  }
}
