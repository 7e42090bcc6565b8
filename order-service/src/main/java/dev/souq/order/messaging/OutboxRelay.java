package dev.souq.order.messaging;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.souq.order.config.OrderConfig;
import dev.souq.shared.messages.OrderUpdate;
import dev.souq.shared.messages.TaskQueues;
import dev.souq.shared.persistence.DatabaseMigrations;
import dev.souq.shared.persistence.PipelinedTransaction;
import dev.souq.shared.persistence.PipelinedTransaction.Statement;
import dev.souq.shared.redis.LuaScript;
import dev.souq.shared.redis.RedisPipelines;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.microprofile.health.Readiness;

/**
 * Sends the outbox to Redis: order updates (XADD + PUBLISH, one script) and jobs (LPUSH), in id
 * order, then deletes what was sent in the same transaction. Every replica runs it; a PostgreSQL
 * advisory lock lets one at a time send, which keeps each order's events in commit order. A crash
 * between send and commit re-sends a batch: consumers drop duplicates by event_id / idempotency
 * key. Batches run on a connection of the relay's own ({@link OutboxDatabase}), so they neither
 * wait for nor hold one the requests need.
 *
 * <p>This replica's commits wake it ({@link #committed}). When another replica's batch holds the
 * lock, that batch may have read the outbox before the commit, so the relay hands the rows over: it
 * NOTIFYs the other replicas ({@link OutboxWakeup}), and the one sending runs once more. Only then,
 * not in every commit: a transaction that NOTIFYs takes a cluster-wide lock at commit and holds it
 * through its WAL flush, so notifying commits wait for each other (bench/outbox-commit.sh).
 */
@ApplicationScoped
public class OutboxRelay {
  private static final LuaScript PUBLISH = LuaScript.fromClasspath(OrderUpdate.PUBLISH_SCRIPT);

  private static final long WARN_EVERY_NANOS = TimeUnit.MINUTES.toNanos(1);
  private static final Duration MAX_ACK_TIMEOUT = Duration.ofSeconds(5);

  /** Any constant shared by all replicas; names the relay's advisory lock. */
  static final long LOCK = 0x50_55_51_4f_55_54L;

  private static final String HAND_OVER = "SELECT pg_notify($1, $2)";

  private final OutboxDatabase database;
  private final DatabaseMigrations migrations;
  private final RedisPipelines pipelines;
  private final OrderConfig config;
  private final ObjectMapper json;
  private final RelaySpans spans;
  private final Timer lag;
  private final AtomicBoolean running = new AtomicBoolean();
  private final AtomicBoolean again = new AtomicBoolean();

  /** This replica committed to the outbox since a batch last took the lock (or handed over). */
  private final AtomicBoolean owed = new AtomicBoolean();

  /** Names this relay's hand-overs, so that its own replica does not answer them. */
  private final String id = UUID.randomUUID().toString();

  private final AtomicLong lastUnreplicatedWarning =
      new AtomicLong(System.nanoTime() - WARN_EVERY_NANOS - 1);
  private final Counter unreplicated;

  OutboxRelay(
      OutboxDatabase database,
      @Readiness DatabaseMigrations migrations,
      RedisPipelines pipelines,
      OrderConfig config,
      ObjectMapper json,
      RelaySpans spans,
      MeterRegistry registry) {
    this.migrations = migrations;
    this.spans = spans;
    this.json = json;
    this.database = database;
    this.pipelines = pipelines;
    this.config = config;
    if (config.outbox().replicaAckTimeout().compareTo(MAX_ACK_TIMEOUT) >= 0) {
      // A batch has 10 s in all: a wait near that would fail every batch, and none would leave.
      throw new IllegalArgumentException(
          "order.outbox.replica-ack-timeout must be under "
              + MAX_ACK_TIMEOUT.toSeconds()
              + " s, not "
              + config.outbox().replicaAckTimeout().toMillis()
              + " ms");
    }
    if (config.outbox().replicaAcks() > 0) {
      Log.infof(
          "Outbox batches wait for %d Redis replica(s), up to %d ms each",
          config.outbox().replicaAcks(), config.outbox().replicaAckTimeout().toMillis());
    }
    this.unreplicated =
        Counter.builder("souq.outbox.unreplicated")
            .description(
                "Batches that fewer Redis replicas took than order.outbox.replica-acks asks for")
            .register(registry);
    this.lag =
        Timer.builder("souq.outbox.lag")
            .description("From a change's commit to its message reaching Redis")
            .publishPercentiles(0.5, 0.99)
            // Buckets as well: quantiles over any window (histogram_quantile), not only the last
            // minutes since start-up, for dashboards and for bench/status.sh.
            .publishPercentileHistogram()
            .minimumExpectedValue(Duration.ofMillis(1))
            .maximumExpectedValue(Duration.ofSeconds(10))
            .register(registry);
  }

  /** Made at start-up, so a setting the constructor refuses stops the service there. */
  void start(@Observes StartupEvent event) {}

  /**
   * After this replica's commit to the outbox, on any thread: sends it (from {@link
   * OutboxDatabase}'s context, not the committing request's), or hands it over to the replica that
   * is sending.
   */
  public void committed() {
    owed.set(true);
    database.context().runOnContext(v -> kick());
  }

  /**
   * No batch is running, nor about to run for a kick already made (a committed() may be queued).
   */
  boolean idle() {
    return !running.get();
  }

  /** The name this relay's hand-overs carry. */
  String id() {
    return id;
  }

  /** Sends now; if a run is going, it runs once more when done. */
  void kick() {
    // Set before the run is claimed: a run ending meanwhile sees it, whichever thread kicked.
    again.set(true);
    if (!running.compareAndSet(false, true)) {
      return;
    }
    again.set(false);
    drain()
        .subscribe()
        .with(
            sentAll -> finish(),
            failure -> {
              Log.warnf("Outbox relay will retry: %s", failure.toString());
              running.set(false);
            });
  }

  private void finish() {
    running.set(false);
    if (again.get()) {
      kick();
    }
  }

  /** Picks up what crashes and outages left behind, every {@code order.outbox.poll}. */
  @Scheduled(
      every = "${order.outbox.poll}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  void poll() {
    if (migrations.applied()) {
      kick();
    }
  }

  /** Batches until the outbox is empty, another replica holds the lock, or Redis fails. */
  private Uni<Boolean> drain() {
    return PipelinedTransaction.run(database.batches(), this::batch)
        .ifNoItem()
        .after(Duration.ofSeconds(10))
        .fail()
        .chain(full -> full ? drain() : Uni.createFrom().item(true));
  }

  /**
   * One transaction in two round trips to PostgreSQL and one to Redis: BEGIN, the lock and the
   * batch's read go out together, then the batch to Redis, then its delete with the COMMIT. The
   * read runs after the lock is taken (its own snapshot, READ COMMITTED), so it never sees rows
   * another replica has just sent and deleted; without the lock its rows are ignored, and what this
   * replica committed before is handed over. True if the batch was full.
   */
  private Uni<Boolean> batch(PipelinedTransaction transaction) {
    // Taken before the read: a commit after it sets it again, and its kick runs another batch.
    boolean handOver = owed.getAndSet(false);
    return sendOrHandOver(transaction, handOver)
        .onFailure()
        .invoke(
            () -> {
              if (handOver) {
                owed.set(true); // still owed: the next run (at the latest the poll) hands it over
              }
            });
  }

  private Uni<Boolean> sendOrHandOver(PipelinedTransaction transaction, boolean handOver) {
    return transaction
        .begin(
            new Statement("SELECT pg_try_advisory_xact_lock($1)", Tuple.of(LOCK)),
            new Statement(
                "SELECT id, kind, payload, created_at FROM orders.outbox ORDER BY id LIMIT $1",
                Tuple.of(config.outbox().batch())))
        .chain(
            read -> {
              boolean locked = read.get(0).iterator().next().getBoolean(0);
              if (!locked && handOver) {
                // The commit is the NOTIFY's, on this connection's synchronous_commit off: no wait.
                return transaction
                    .commit(new Statement(HAND_OVER, Tuple.of(OutboxWakeup.CHANNEL, id)))
                    .replaceWith(false);
              }
              List<Row> batch = new ArrayList<>();
              if (locked) {
                read.get(1).forEach(batch::add);
              }
              if (batch.isEmpty()) {
                return transaction.rollback().replaceWith(false);
              }
              return send(batch)
                  .chain(sent -> delete(transaction, sent))
                  .map(sent -> sent == config.outbox().batch());
            });
  }

  /**
   * Sends the batch in one pipeline on one connection, so in order and in one round trip (sent one
   * by one, a busy event loop let the outbox fall seconds behind); on a Cluster, one pipeline per
   * hash slot, each in order: the order updates share one slot, each queue has its own. All or
   * nothing: on a failure nothing is deleted and the batch is sent again later; if a failure cut
   * the pipeline midway, consumers drop the repeats by event_id / idempotency key.
   */
  private Uni<List<Long>> send(List<Row> batch) {
    if (batch.isEmpty()) {
      return Uni.createFrom().item(List.of());
    }
    List<String> keys = new ArrayList<>(batch.size());
    List<Request> requests = new ArrayList<>(batch.size());
    RelaySpans.Batch traced = spans.batch(batch.size());
    for (Row row : batch) {
      addRequest(row, keys, requests, traced);
    }
    return sendAndWait(keys, requests)
        .invoke(traced::sent)
        .onFailure()
        .invoke(traced::failed)
        .map(
            replies -> {
              java.time.Instant now = java.time.Instant.now();
              List<Long> sent = new ArrayList<>(batch.size());
              for (Row row : batch) {
                sent.add(row.getLong("id"));
                lag.record(Duration.between(row.getOffsetDateTime("created_at").toInstant(), now));
              }
              return sent;
            })
        .onFailure()
        .recoverWithUni(
            failure -> {
              Log.warnf("Redis refused the outbox; will resend: %s", failure.toString());
              return Uni.createFrom().item(List.<Long>of());
            });
  }

  /**
   * The batch's pipelines; with {@code replica-acks}, each waits for that many replicas, and a
   * batch that fewer took is counted (on a Cluster some slots may have their replicas while
   * another's primary has just lost its own, so the warning is rate-limited, not per change).
   */
  private Uni<List<Response>> sendAndWait(List<String> keys, List<Request> requests) {
    int wanted = config.outbox().replicaAcks();
    if (wanted <= 0) {
      return pipelines.send(keys, requests);
    }
    return pipelines
        .sendAndWait(keys, requests, wanted, config.outbox().replicaAckTimeout())
        .map(
            sent -> {
              if (sent.replicas() < wanted) {
                unreplicated.increment();
                long now = System.nanoTime();
                long last = lastUnreplicatedWarning.get();
                if (now - last > WARN_EVERY_NANOS
                    && lastUnreplicatedWarning.compareAndSet(last, now)) {
                  Log.warnf(
                      "A batch reached %d of %d Redis replicas within %d ms: deleted all the same;"
                          + " a failover now could lose it (souq_outbox_unreplicated_total counts"
                          + " them, this is said at most once a minute)",
                      sent.replicas(), wanted, config.outbox().replicaAckTimeout().toMillis());
                }
              }
              return sent.replies();
            });
  }

  /**
   * The row's command, and the key that places it (on a Cluster: its slot's pipeline); its span
   * when it carries a trace.
   */
  private void addRequest(
      Row row, List<String> keys, List<Request> requests, RelaySpans.Batch traced) {
    String payload = row.getString("payload");
    JsonNode message = parse(payload);
    if ("TASK".equals(row.getString("kind"))) {
      String queue = TaskQueues.key(queue(message));
      keys.add(queue);
      requests.add(Request.cmd(Command.LPUSH).arg(queue).arg(payload));
      traced.row(queue, message.path("traceparent").asText(null));
      return;
    }
    List<String> scriptKeys = OrderUpdate.publishKeys(userId(message));
    keys.add(scriptKeys.get(0));
    requests.add(
        PUBLISH.request(
            scriptKeys, OrderUpdate.publishArgs(payload, config.outbox().streamMaxLength())));
    traced.row(OrderUpdate.CHANNEL, message.path("traceparent").asText(null));
  }

  /** The row's message (this service wrote it; an unreadable one reads as empty). */
  private JsonNode parse(String payload) {
    try {
      return json.readTree(payload);
    } catch (JsonProcessingException e) {
      return MissingNode.getInstance();
    }
  }

  /** The job's queue (this service wrote the payload, naming a valid queue or none). */
  private static String queue(JsonNode message) {
    String queue = message.path("queue").asText("");
    return TaskQueues.NAME.matcher(queue).matches() ? queue : null;
  }

  /** The update's owner, or null when it has none. */
  private static String userId(JsonNode message) {
    String userId = message.path("user_id").asText("");
    return userId.isEmpty() ? null : userId;
  }

  /** Deletes what was sent and commits; how many were sent. */
  private static Uni<Integer> delete(PipelinedTransaction transaction, List<Long> ids) {
    if (ids.isEmpty()) {
      return transaction.rollback().replaceWith(0);
    }
    return transaction
        .commit(
            new Statement(
                "DELETE FROM orders.outbox WHERE id = ANY($1)", Tuple.of(ids.toArray(Long[]::new))))
        .replaceWith(ids.size());
  }
}
