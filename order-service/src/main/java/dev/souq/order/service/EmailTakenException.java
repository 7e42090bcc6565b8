package dev.souq.order.service;

/** A sign-up with an email that has an account already. */
public class EmailTakenException extends RuntimeException {
  public EmailTakenException() {
    super("An account with this email exists: sign in instead", null, false, false);
  }
}
