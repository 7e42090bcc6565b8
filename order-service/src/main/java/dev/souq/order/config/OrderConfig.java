package dev.souq.order.config;

import dev.souq.shared.config.BoundedInt;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithConverter;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.time.Duration;
import java.util.Map;

/** order-service settings. */
@ConfigMapping(prefix = "order")
public interface OrderConfig {
  /** The outbox relay. */
  Outbox outbox();

  /**
   * The queue of each job type this service queues, e.g. {@code
   * order.task-queues.process_payment=critical} (env {@code ORDER_TASK_QUEUES_PROCESS_PAYMENT});
   * others go to {@code default}. Names the worker's queues (its {@code worker.queues}).
   */
  @WithName("task-queues")
  Map<String, String> taskQueues();

  /** Stock reservations (README "Stock"). */
  Stock stock();

  /** Stock settings. */
  interface Stock {
    /**
     * How old an order still RESERVING must be before StockReconciler gives it up: far longer than
     * a placing request can take (the catalog call gives up after three 2 s attempts).
     */
    @WithDefault("1m")
    Duration reservationTimeout();

    /** How often every replica looks for such orders; StockReconciler's schedule reads it. */
    @WithDefault("15s")
    Duration reconcileEvery();
  }

  /** Unpaid orders (SOUQ_UNPAID_ORDER_TIMEOUT is souq.unpaid-order-timeout). */
  Unpaid unpaid();

  /** Unpaid-order settings. */
  interface Unpaid {
    /** How often the souq_orders_unpaid_overdue gauge is recounted; UnpaidOrders' schedule. */
    @WithDefault("1m")
    Duration countEvery();
  }

  /** Accounts and their sessions. */
  Accounts accounts();

  /** Account settings. */
  interface Accounts {
    /**
     * Sessions an account may have at once; signing in past it ends the oldest ({@code
     * ORDER_ACCOUNTS_MAX_SESSIONS}).
     */
    @WithDefault("10")
    @WithConverter(AtLeastOne.class)
    int maxSessions();

    /**
     * bcrypt's cost (2^cost rounds): 10 takes 81–89 ms of one core of the reference box (Passwords'
     * pool); each step up doubles it.
     */
    @WithDefault("10")
    @WithConverter(BcryptCost.class)
    int bcryptCost();

    /** One session at least. */
    final class AtLeastOne extends BoundedInt {
      private static final long serialVersionUID = 1L;

      public AtLeastOne() {
        super(1, Integer.MAX_VALUE);
      }
    }

    /** 4 to 16: bcrypt's own floor, and ~85 ms × 64 per hash at the top. */
    final class BcryptCost extends BoundedInt {
      private static final long serialVersionUID = 1L;

      public BcryptCost() {
        super(4, 16);
      }
    }
  }

  /** Outbox settings. */
  interface Outbox {
    /**
     * How often every replica looks for messages left behind (a crash, a Redis outage); commits
     * wake the relay at once, so this only bounds the catch-up. The relay's schedule reads it, and
     * Quarkus' scheduler runs nothing more often than once a second (it warned at every start while
     * this said 500 ms).
     */
    @WithDefault("1s")
    Duration poll();

    /** Messages sent per transaction, at most 1,024 (one Redis pipeline). */
    @WithDefault("200")
    int batch();

    /** Approximate cap of order_updates:stream (XADD MAXLEN ~). */
    @WithDefault("10000")
    long streamMaxLength();

    /**
     * Redis replicas a batch waits for ({@code WAIT}) before its rows leave the outbox; 0 does not
     * wait. Set it to 1 on Sentinel or a Cluster: while a replica keeps up, a failover then loses
     * no order update or job the relay has deleted. A batch that fewer replicas took within {@link
     * #replicaAckTimeout} (one away or lagging) is counted ({@code souq_outbox_unreplicated_total})
     * and deleted all the same, as without WAIT: holding the outbox back would stop every status
     * change and job.
     */
    @WithDefault("0")
    int replicaAcks();

    /**
     * How long a batch waits for {@link #replicaAcks} replicas; under 5 s (a batch has 10 s in
     * all), or order-service refuses to start.
     */
    @WithDefault("250ms")
    Duration replicaAckTimeout();
  }
}
