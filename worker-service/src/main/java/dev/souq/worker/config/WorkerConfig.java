package dev.souq.worker.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** worker-service settings ({@code worker.*}; env e.g. {@code WORKER_FETCH=brpop}). */
@ConfigMapping(prefix = "worker")
public interface WorkerConfig {

  /** How jobs leave {@code tasks}: {@code reliable} (at-least-once) or {@code brpop}. */
  @WithDefault("reliable")
  FetchMode fetch();

  /**
   * This instance's id; default: host name plus a random suffix, new at every start. A fixed one
   * must be unique among live instances: a process started under it runs what its processing list
   * holds (a killed predecessor's jobs) as its own.
   */
  Optional<String> id();

  /** Jobs in flight at once on this instance. */
  @WithDefault("64")
  int concurrency();

  /**
   * Most bytes of jobs in flight on this instance: a fetch takes no more than the room left, but
   * always one job, so a flood of large jobs cannot exhaust the heap (each is parsed too).
   */
  @WithName("max-bytes-in-flight")
  @WithDefault("16777216")
  long maxBytesInFlight();

  /** Most jobs taken from Redis in one round trip. */
  @WithName("fetch-batch")
  @WithDefault("100")
  int fetchBatch();

  /** Runs of a job before it is a dead letter. */
  @WithName("max-attempts")
  @WithDefault("5")
  int maxAttempts();

  /**
   * Deliveries of a job whose worker died each time (killed, out of memory, halted) before it is a
   * dead letter with reason {@code crashed_worker} instead of being handed to the next worker.
   */
  @WithName("max-deliveries")
  @WithDefault("3")
  int maxDeliveries();

  /** Retry backoff. */
  Backoff backoff();

  /** A handler's time limit unless its {@code @Handles} names one. */
  @WithName("handler-timeout")
  @WithDefault("30s")
  Duration handlerTimeout();

  /**
   * How long a silent instance counts as alive: its heartbeat key lives this long and is renewed
   * every third of it; after it lapses, any replica returns the instance's jobs to the queue.
   */
  @WithName("heartbeat-ttl")
  @WithDefault("30s")
  Duration heartbeatTtl();

  /** How often due delayed jobs and retries are moved back to the queue. */
  @WithName("promote-interval")
  @WithDefault("250ms")
  Duration promoteInterval();

  /** How long a finished job's idempotency key keeps a repeat from running. */
  @WithName("idempotency-window")
  @WithDefault("24h")
  Duration idempotencyWindow();

  /** On SIGTERM: how long in-flight jobs may finish before the rest go back to the queue. */
  @WithName("shutdown-grace")
  @WithDefault("20s")
  Duration shutdownGrace();

  /**
   * A job larger than this many bytes is a dead letter (reason too_large), never parsed. At most an
   * eighth of the heap, which the worker checks as it starts.
   */
  @WithName("max-job-bytes")
  @WithDefault("1048576")
  int maxJobBytes();

  /**
   * Most bytes of a job a dead letter keeps; a larger job is kept as a prefix with its size and
   * SHA-256, and cannot be retried from the dead letters.
   */
  @WithName("dead-letter-job-bytes")
  @WithDefault("65536")
  int deadLetterJobBytes();

  /** Dead letters kept; the oldest are trimmed past this. */
  @WithName("dead-letters-max")
  @WithDefault("100000")
  int deadLettersMax();

  /** How long {@code purge_dead_letters} keeps a dead letter (by its {@code dead_at}). */
  @WithName("dead-letter-retention")
  @WithDefault("14d")
  Duration deadLetterRetention();

  /**
   * Periodic jobs by name, e.g. {@code worker.schedules.cancel_unpaid_orders.every=1m}
   * (application.properties ships the defaults). Env {@code
   * WORKER_SCHEDULES_CANCEL_UNPAID_ORDERS_EVERY} changes a schedule named there; a new one defined
   * by env vars alone needs a name without underscores ({@code WORKER_SCHEDULES_NIGHTLY_EVERY}),
   * since an env var cannot tell them from dots.
   */
  Map<String, Schedule> schedules();

  /**
   * How often each replica looks for due schedules. A tick is missed only if no replica looked
   * during a whole interval of its schedule, so keep it well below the shortest {@code every}.
   */
  @WithName("schedule-interval")
  @WithDefault("500ms")
  Duration scheduleInterval();

  /**
   * Name the worker's keys {@code {tasks}:…} instead of {@code tasks:…}, so that on Redis Cluster
   * they share one slot with {@code tasks} (see deploy/README.md). Unset: on a Cluster, and only
   * there; false refuses to start on a Cluster, where the worker's scripts could not run.
   */
  @WithName("cluster-keys")
  Optional<Boolean> clusterKeys();

  /**
   * Registers the handlers that exist to test the worker itself ({@code test_halt}, which halts the
   * JVM). Never on in production: the crash tests run the packaged jar with it.
   */
  @WithName("test-handlers")
  @WithDefault("false")
  boolean testHandlers();

  /** The shop's handlers. */
  Shop shop();

  /** One periodic job: enqueued once per tick across all replicas. */
  interface Schedule {
    /**
     * The interval, at least 1 s. Ticks are its multiples since the epoch (1h: on the hour, 1d: at
     * midnight UTC); after a pause only the latest missed tick runs.
     */
    Duration every();

    /** The job's type; default: the schedule's name. */
    Optional<String> type();

    /** The job's payload, a JSON object; {@code payload.schedule} is set to the name. */
    Optional<String> payload();

    /** Off: no ticks (the operator may still run it by hand). */
    @WithDefault("true")
    boolean enabled();
  }

  /**
   * The queues by name and weight, e.g. {@code worker.queues.critical.weight=6}; {@code default}
   * (the list {@code tasks}) must be one of them. Higher weight: taken first and given more of each
   * fetch (see {@code queue.Queues}).
   */
  Map<String, Queue> queues();

  /**
   * The queue of a job type this worker enqueues (over the API, without a {@code queue}), e.g.
   * {@code worker.routes.process_payment=critical}; unrouted types go to {@code default}.
   */
  Map<String, String> routes();

  /**
   * The most jobs of a type in flight at once across all replicas, e.g. {@code
   * worker.limits.process_payment=8}; unlisted types have no limit.
   */
  Map<String, Integer> limits();

  /**
   * The most jobs of a type started per second across all replicas, e.g. {@code
   * worker.rates.send_order_confirmation=20} (a mail provider's rate); up to a second's worth may
   * start at once, the rest wait their turn on tasks:delayed. Unlisted types are not paced.
   */
  Map<String, Integer> rates();

  /**
   * How long an idle worker waits for a producer's wake-up ({@code {tasks}:wake}) before looking at
   * its queues again: a job queued without one waits at most this long for an idle worker.
   */
  @WithName("idle-poll")
  @WithDefault("100ms")
  Duration idlePoll();

  /** A named queue. */
  interface Queue {
    /** Its share of each fetch relative to the others, at least 1. */
    @WithDefault("1")
    int weight();
  }

  /** Fetch modes. */
  enum FetchMode {
    /** Moved into a processing list, removed after the handler finished: never loses a job. */
    RELIABLE,
    /** BRPOP, the seed's loop: a job held by a dying process is lost. For comparison only. */
    BRPOP
  }

  /** Exponential backoff with jitter: initial × 2^(attempt−1), capped, minus up to jitter. */
  interface Backoff {
    /** The delay after the first failure. */
    @WithDefault("1s")
    Duration initial();

    /** The longest delay. */
    @WithDefault("10m")
    Duration max();

    /** The fraction of a delay taken off at random, so retries of a burst spread out. */
    @WithDefault("0.25")
    double jitter();
  }

  /** process_payment and send_order_confirmation. */
  interface Shop {
    /** How long the simulated payment provider takes to approve. */
    @WithName("payment-delay")
    @WithDefault("50ms")
    Duration paymentDelay();

    /**
     * How many attempts of every payment the simulated provider declines before it approves one: 0
     * approves at once; to watch retries (and, past worker.max-attempts, a payment given up) on the
     * order's timeline.
     */
    @WithName("payment-declines")
    @WithDefault("0")
    int paymentDeclines();

    /**
     * The job types whose retries and dead letters are reported to order-service for the order's
     * timeline (payload.order_id says which order): what a shopper waits on.
     */
    @WithName("reported-types")
    @WithDefault("process_payment")
    java.util.Set<String> reportedTypes();

    /**
     * Where a guest's order confirmations go: a guest gives no address, and an account's order
     * confirmation goes to the address order-service names for it.
     */
    @WithName("confirmation-recipient")
    @WithDefault("orders@souq.local")
    String confirmationRecipient();

    /**
     * While the mailer is the mock (quarkus.mailer.mock=true, the default until SMTP is
     * configured): whether confirmations are rendered and handed to it, which keeps each in its
     * in-memory mailbox for tests to read and logs it in full. Off, each is logged in one line
     * without the address or the order and dropped: a running shop's mailbox would keep every
     * customer's order, without bound, in a map that is not made for several threads.
     */
    @WithName("keep-mock-mails")
    @WithDefault("false")
    boolean keepMockMails();
  }
}
