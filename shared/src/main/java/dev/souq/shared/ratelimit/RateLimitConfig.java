package dev.souq.shared.ratelimit;

import dev.souq.shared.config.BoundedInt;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithConverter;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/**
 * The rate limits of the public REST endpoints and WebSocket upgrades ({@code SOUQ_RATE_LIMIT_*}):
 * one budget per client address for everything, and a budget of their own for the routes that need
 * one (see {@link RatePolicies#forRequest}).
 */
@ConfigMapping(prefix = "souq.rate-limit")
public interface RateLimitConfig {
  /**
   * Requests per minute per client IP; 0 turns the limiter off. At most ten million: a cell (6 µs)
   * is then still ~25 steps of a double holding an epoch-millisecond TAT; far beyond it a cell
   * rounds to nothing and the budget never runs down.
   */
  @WithDefault("100")
  @WithConverter(PerMinute.class)
  int perMinute();

  /**
   * GET {@code /api/products…} per client address, instead of {@link #perMinute()}: browsing a
   * catalog page by page takes many more reads than anything else.
   */
  @WithDefault("600")
  @WithConverter(PerMinute.class)
  int catalogPerMinute();

  /** POST {@code /api/sessions} per client address, instead of {@link #perMinute()}. */
  @WithDefault("20")
  @WithConverter(PerMinute.class)
  int sessionsPerMinute();

  /**
   * POST {@code /api/orders} per session (per client address without a session cookie), on top of
   * {@link #perMinute()}: shoppers behind one address each get their own.
   */
  @WithDefault("10")
  @WithConverter(PerMinute.class)
  int ordersPerMinute();

  /**
   * POST {@code /api/accounts} (sign-up) and {@code /api/accounts/sign-in} per client address,
   * instead of {@link #perMinute()}: each costs a password hash, and guessing is what it slows.
   */
  @WithDefault("10")
  @WithConverter(PerMinute.class)
  int signInPerMinute();

  /**
   * Sign-up and sign-in attempts per account, by email, whatever the address they come from: so
   * that guessing one shopper's password (or probing which emails are taken) from many addresses is
   * as slow as from one. Spent before the password is checked, so a right password does not get
   * around it; never fails open.
   */
  @WithDefault("5")
  @WithConverter(AccountSignIns.class)
  int accountSignInsPerMinute();

  /**
   * When Redis cannot be asked, let the request through (true) rather than refuse it: a Redis
   * outage should not take the shop down. Each such request is counted.
   */
  @WithDefault("true")
  boolean failOpen();

  /** How long the limiter waits for Redis before applying {@link #failOpen()}. */
  @WithDefault("200ms")
  Duration redisTimeout();

  /** 0 to ten million a minute. */
  final class PerMinute extends BoundedInt {
    private static final long serialVersionUID = 1L;

    public PerMinute() {
      super(0, 10_000_000);
    }
  }

  /** 0 to 60 a minute: one a second at most, since each guess costs a password hash. */
  final class AccountSignIns extends BoundedInt {
    private static final long serialVersionUID = 1L;

    public AccountSignIns() {
      super(0, 60);
    }
  }
}
