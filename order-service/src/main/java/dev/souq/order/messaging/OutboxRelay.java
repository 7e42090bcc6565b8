package dev.souq.order.messaging;

import dev.souq.order.config.OrderConfig;
import dev.souq.shared.persistence.DatabaseMigrations;
import dev.souq.shared.persistence.PipelinedTransaction;
import dev.souq.shared.persistence.PipelinedTransaction.Statement;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.microprofile.health.Readiness;

/**
 * Sends the outbox to Redis ({@link OutboxSender}: order updates and jobs), in id order, then
 * deletes what was sent in the same transaction. Every replica runs it; a PostgreSQL advisory lock
 * lets one at a time send, which keeps each order's events in commit order. A crash between send
 * and commit re-sends a batch: consumers drop duplicates by event_id / idempotency key. Batches run
 * on a connection of the relay's own ({@link OutboxDatabase}), so they neither wait for nor hold
 * one the requests need.
 *
 * <p>This replica's commits wake it ({@link #committed}). When another replica's batch holds the
 * lock, that batch may have read the outbox before the commit, so the relay hands the rows over: it
 * NOTIFYs the other replicas ({@link OutboxWakeup}), and the one sending runs once more. Only then,
 * not in every commit: a transaction that NOTIFYs takes a cluster-wide lock at commit and holds it
 * through its WAL flush, so notifying commits wait for each other (bench/outbox-commit.sh).
 */
@ApplicationScoped
public class OutboxRelay {
  /** Any constant shared by all replicas; names the relay's advisory lock. */
  public static final long LOCK = 0x50_55_51_4f_55_54L;

  private static final String HAND_OVER = "SELECT pg_notify($1, $2)";

  private final OutboxDatabase database;
  private final DatabaseMigrations migrations;
  private final OutboxSender sender;
  private final int batchSize;
  private final AtomicBoolean running = new AtomicBoolean();
  private final AtomicBoolean again = new AtomicBoolean();

  /** This replica committed to the outbox since a batch last took the lock (or handed over). */
  private final AtomicBoolean owed = new AtomicBoolean();

  /** Names this relay's hand-overs, so that its own replica does not answer them. */
  private final String id = UUID.randomUUID().toString();

  OutboxRelay(
      OutboxDatabase database,
      @Readiness DatabaseMigrations migrations,
      OutboxSender sender,
      OrderConfig config) {
    this.database = database;
    this.migrations = migrations;
    this.sender = sender;
    this.batchSize = config.outbox().batch();
  }

  /** Made at start-up with its sender, so a setting the sender refuses stops the service there. */
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
                Tuple.of(batchSize)))
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
              return sender
                  .send(batch)
                  .chain(sent -> delete(transaction, sent))
                  .map(sent -> sent == batchSize);
            });
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
