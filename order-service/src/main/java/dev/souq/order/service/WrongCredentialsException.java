package dev.souq.order.service;

/**
 * A sign-in whose email has no account or whose password is wrong: one failure for both, so the
 * answer does not tell which emails have accounts.
 */
public class WrongCredentialsException extends RuntimeException {
  public WrongCredentialsException() {
    super("The email or the password is wrong", null, false, false);
  }
}
