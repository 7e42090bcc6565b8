package dev.souq.shared.session;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.souq.shared.redis.RedisPipelines;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.Cancellable;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * How {@link PeekBatcher} groups an event loop's lookups into pipelines, with the pipelines held by
 * the test instead of Redis: what goes out together, how much, and when. Its reading of real
 * replies is tested against Redis in notification-service's SessionLookupsTest.
 */
class PeekBatcherTest {
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

  /** Pipelines as sent, each answered (with no session) only when the test says. */
  private static final class HeldPipelines extends RedisPipelines {
    final List<List<Request>> sent = new CopyOnWriteArrayList<>();
    final List<UniEmitter<? super List<Response>>> waiting = new CopyOnWriteArrayList<>();

    HeldPipelines() {
      super(null, null);
    }

    @Override
    public Uni<List<Response>> send(List<String> keys, List<Request> requests) {
      return Uni.createFrom()
          .emitter(
              emitter -> {
                sent.add(requests);
                waiting.add(emitter);
              });
    }

    /** Pipelines sent and ready to answer. */
    int out() {
      return waiting.size();
    }

    void answer(int pipeline) {
      int commands = sent.get(pipeline).size();
      waiting.get(pipeline).complete(new ArrayList<>(Collections.nCopies(commands, null)));
    }
  }

  private final HeldPipelines pipelines = new HeldPipelines();
  private final Context loop = vertx.getOrCreateContext();

  /** Patience that never runs out within a test: only the lateness test wants one that does. */
  private PeekBatcher batcher = batcher(60_000);

  private final AtomicInteger answered = new AtomicInteger();

  private PeekBatcher batcher(long patienceMs) {
    return new PeekBatcher((value, ttl) -> null, pipelines, loop, patienceMs);
  }

  /** Asks for {@code count} lookups in one turn of the loop; their subscriptions, to cancel. */
  private List<Cancellable> lookUp(int count) {
    List<Cancellable> asked = new CopyOnWriteArrayList<>();
    AtomicInteger queued = new AtomicInteger();
    loop.runOnContext(
        v -> {
          for (int i = 0; i < count; i++) {
            asked.add(
                Uni.createFrom()
                    .<WatchedSession>emitter(
                        answer -> batcher.submit("s" + queued.incrementAndGet(), answer))
                    .subscribe()
                    .with(session -> answered.incrementAndGet()));
          }
        });
    await().atMost(PATIENCE).until(() -> asked.size() == count);
    return asked;
  }

  @Test
  void theLookupsOfOneTurnGoInOnePipelineOfAGetAndAPttlEach() {
    lookUp(3);
    await().atMost(PATIENCE).until(() -> pipelines.out() == 1);
    assertEquals(6, pipelines.sent.get(0).size());
    pipelines.answer(0);
    await().atMost(PATIENCE).until(() -> answered.get() == 3);
    assertEquals(1, pipelines.out());
  }

  @Test
  void whileAPipelineIsOutTheNextLookupsWaitThenGoTogether() {
    lookUp(1);
    await().atMost(PATIENCE).until(() -> pipelines.out() == 1);
    lookUp(2);
    lookUp(3); // in turns of their own: had they not waited, they had gone apart
    pipelines.answer(0);
    await().atMost(PATIENCE).until(() -> pipelines.out() == 2);
    assertEquals(10, pipelines.sent.get(1).size(), "the five that waited, in one pipeline");
  }

  @Test
  void aPipelineHoldsAtMost512Lookups() {
    lookUp(600);
    await().atMost(PATIENCE).until(() -> pipelines.out() == 1);
    assertEquals(2 * PeekBatcher.PER_PIPELINE, pipelines.sent.get(0).size());
    pipelines.answer(0);
    await().atMost(PATIENCE).until(() -> pipelines.out() == 2);
    assertEquals(2 * (600 - PeekBatcher.PER_PIPELINE), pipelines.sent.get(1).size());
  }

  @Test
  void aLatePipelineLetsOneMoreGoAndNoMore() {
    batcher = batcher(100);
    lookUp(1);
    await().atMost(PATIENCE).until(() -> pipelines.out() == 1);
    lookUp(1);
    // The first is late after its patience: the second goes beside it.
    await().atMost(PATIENCE).until(() -> pipelines.out() == 2);
    lookUp(1);
    // Both late, neither answered: the third waits however long they take.
    await()
        .during(Duration.ofMillis(500)) // five times the patience
        .atMost(PATIENCE)
        .until(() -> pipelines.out() == 2);
    pipelines.answer(0);
    await().atMost(PATIENCE).until(() -> pipelines.out() == 3);
  }

  @Test
  void aLookupGivenUpOnIsNotSent() {
    lookUp(1);
    await().atMost(PATIENCE).until(() -> pipelines.out() == 1);
    List<Cancellable> gaveUp = lookUp(2);
    lookUp(1);
    gaveUp.forEach(Cancellable::cancel);
    pipelines.answer(0);
    await().atMost(PATIENCE).until(() -> pipelines.out() == 2);
    assertEquals(2, pipelines.sent.get(1).size(), "only the lookup still wanted");
  }
}
