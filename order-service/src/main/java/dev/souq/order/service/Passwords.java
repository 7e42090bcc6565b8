package dev.souq.order.service;

import dev.souq.order.config.OrderConfig;
import io.quarkus.elytron.security.common.BcryptUtil;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;

/**
 * Account passwords, hashed with bcrypt (Quarkus' Elytron {@link BcryptUtil}, a random salt each)
 * on a worker thread: a hash takes tens of milliseconds of CPU, far too long for an event loop. A
 * password is never logged, stored or compared in the clear.
 */
@ApplicationScoped
public class Passwords {
  /** bcrypt reads only the first 72 bytes: a longer password would be checked in part. */
  public static final int MAX_BYTES = 72;

  private final Vertx vertx;
  private final int cost;
  private volatile String decoy;

  Passwords(Vertx vertx, OrderConfig config) {
    this.vertx = vertx;
    this.cost = config.accounts().bcryptCost();
  }

  /** Whether bcrypt would read all of it. */
  public static boolean fits(String password) {
    return password.getBytes(StandardCharsets.UTF_8).length <= MAX_BYTES;
  }

  /** The password's bcrypt hash (Modular Crypt Format), computed on a worker thread. */
  Uni<String> hash(String password) {
    return vertx.executeBlocking(() -> BcryptUtil.bcryptHash(password, cost), false);
  }

  /**
   * Whether the password is the one hashed, checked on a worker thread. With no hash (no such
   * account) a decoy hash is checked instead, so an unknown email takes as long as a wrong password
   * and the answer's timing does not tell which emails have accounts.
   */
  Uni<Boolean> matches(String password, String hash) {
    return vertx.executeBlocking(
        () -> {
          boolean right = BcryptUtil.matches(password, hash == null ? decoy() : hash);
          return right && hash != null;
        },
        false);
  }

  private String decoy() {
    String made = decoy;
    if (made == null) {
      made = BcryptUtil.bcryptHash("not the password of anyone", cost);
      decoy = made;
    }
    return made;
  }
}
