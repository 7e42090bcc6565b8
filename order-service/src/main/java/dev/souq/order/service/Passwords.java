package dev.souq.order.service;

import dev.souq.order.config.OrderConfig;
import dev.souq.shared.problem.DependencyUnavailableException;
import io.quarkus.elytron.security.common.BcryptUtil;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Account passwords, hashed with bcrypt (Quarkus' Elytron {@link BcryptUtil}, a random salt each).
 * A hash takes a tenth of a second of CPU: far too long for an event loop, and a flood of sign-ins
 * must not take every core, so hashes run on a pool of their own, one thread per two cores (at
 * least one), with at most {@value #WAITING} per thread waiting; past that a sign-in is answered
 * 503 with Retry-After. A password is never logged, stored or compared in the clear.
 */
@ApplicationScoped
public class Passwords {
  /** bcrypt reads only the first 72 bytes: a longer password would be checked in part. */
  public static final int MAX_BYTES = 72;

  /** Hashes that may wait, per thread: a second or two of work at cost 10. */
  static final int WAITING = 16;

  private final int cost;
  private final ExecutorService hashing;
  private volatile String decoy;

  Passwords(OrderConfig config) {
    this.cost = config.accounts().bcryptCost();
    // Half the cores at most: the other half keeps serving everything else during a flood.
    int threads = Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
    this.hashing =
        new ThreadPoolExecutor(
            threads,
            threads,
            0,
            TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(WAITING * threads),
            work -> {
              Thread thread = new Thread(work, "souq-passwords");
              thread.setDaemon(true);
              return thread;
            });
  }

  void stop(@Observes ShutdownEvent event) {
    hashing.shutdownNow();
  }

  /** Whether bcrypt would read all of it. */
  public static boolean fits(String password) {
    return password.getBytes(StandardCharsets.UTF_8).length <= MAX_BYTES;
  }

  /** The password's bcrypt hash (Modular Crypt Format). */
  Uni<String> hash(String password) {
    return onPool(() -> BcryptUtil.bcryptHash(password, cost));
  }

  /**
   * Whether the password is the one hashed. With no hash (no such account) a decoy hash is checked
   * instead, so an unknown email takes as long as a wrong password and the answer's timing does not
   * tell which emails have accounts.
   */
  Uni<Boolean> matches(String password, String hash) {
    return onPool(
        () -> {
          boolean right = BcryptUtil.matches(password, hash == null ? decoy() : hash);
          return right && hash != null;
        });
  }

  /** Runs {@code work} on the pool; its result comes back on the caller's Vert.x context. */
  private <T> Uni<T> onPool(Supplier<T> work) {
    Context caller = Vertx.currentContext();
    return Uni.createFrom()
        .emitter(
            emitter -> {
              try {
                hashing.execute(
                    () -> {
                      try {
                        T result = work.get();
                        back(caller, () -> emitter.complete(result));
                      } catch (RuntimeException e) {
                        back(caller, () -> emitter.fail(e));
                      }
                    });
              } catch (RejectedExecutionException e) {
                emitter.fail(
                    new DependencyUnavailableException(
                        "password hashing", "Too many sign-ins at once; retry shortly"));
              }
            });
  }

  private static void back(Context caller, Runnable emit) {
    if (caller == null) {
      emit.run();
    } else {
      caller.runOnContext(v -> emit.run());
    }
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
