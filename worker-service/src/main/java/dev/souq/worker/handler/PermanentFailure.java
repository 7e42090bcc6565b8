package dev.souq.worker.handler;

/** A failure no retry can fix (the order does not exist, the payload is wrong): dead letter now. */
public class PermanentFailure extends RuntimeException {
  public PermanentFailure(String message) {
    super(message);
  }
}
