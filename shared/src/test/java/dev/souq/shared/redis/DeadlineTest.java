package dev.souq.shared.redis;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.function.BiFunction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * On an event loop, a call past its deadline fails its caller; {@link Deadline#within} leaves the
 * call running (a job's handler must finish), {@link Deadline#withinCancelling} cancels it.
 */
class DeadlineTest {
  private static final Duration PATIENCE = Duration.ofSeconds(10);
  private static Vertx vertx;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() {
    vertx.close().toCompletionStage().toCompletableFuture().join();
  }

  @Test
  void withinFailsTheCallerAndLeavesTheCallRunning() {
    assertEquals("running", lateCall(Deadline::within));
  }

  @Test
  void withinCancellingFailsTheCallerAndCancelsTheCall() {
    assertEquals("cancelled", lateCall(Deadline::withinCancelling));
  }

  /** A call that never answers, bounded to 50 ms on an event loop: what became of it. */
  private String lateCall(BiFunction<Uni<String>, Duration, Uni<String>> bound) {
    Map<String, Object> seen = new ConcurrentHashMap<>();
    Uni<String> never =
        Uni.createFrom()
            .<String>emitter(emitter -> {})
            .onCancellation()
            .invoke(() -> seen.put("call", "cancelled"));
    vertx
        .getOrCreateContext()
        .runOnContext(
            v ->
                bound
                    .apply(never, Duration.ofMillis(50))
                    .subscribe()
                    .with(item -> seen.put("caller", item), f -> seen.put("caller", f)));
    await().atMost(PATIENCE).until(() -> seen.containsKey("caller"));
    assertInstanceOf(TimeoutException.class, seen.get("caller"));
    return (String) seen.getOrDefault("call", "running");
  }
}
