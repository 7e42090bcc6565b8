package dev.souq.order;

/**
 * How a payer names one of its charges (worker-service: the job's id and attempt): printable ASCII
 * without spaces, at most {@link #MAX} characters, as the order keeps it.
 */
public final class PaymentRef {
  private PaymentRef() {}

  /** The longest, as {@code paid_by} and {@code voided_payments} hold it. */
  public static final int MAX = 200;

  /** Printable ASCII, no space. */
  public static final String PATTERN = "[!-~]+";
}
