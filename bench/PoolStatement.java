import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.PoolOptions;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One prepared statement at a time per slot, 32 slots over an 8-connection pool, as the services'
 * repositories run them: through the pool's own query ({@code pool}) or on a connection leased for
 * it ({@code leased}, souq-shared PooledQuery). Prints statements/s and this JVM's CPU per
 * statement over SECONDS after 5 s of warm-up. Run the two modes in turns, each in its own JVM,
 * with order-service's lib/main and lib/boot jars on the class path (bench/RESULTS.md has the
 * command): PoolStatement pool|leased SECONDS [postgresql://user@host:port/db, default
 * postgres@127.0.0.1:5432/souq_bench]
 */
public class PoolStatement {
  private static final String SQL = "SELECT $1::int + 1";
  private static final int SLOTS = 32;

  public static void main(String[] args) throws Exception {
    boolean leased = args[0].equals("leased");
    int seconds = Integer.parseInt(args[1]);
    URI url =
        URI.create(args.length > 2 ? args[2] : "postgresql://postgres@127.0.0.1:5432/souq_bench");
    PgConnectOptions connect =
        new PgConnectOptions()
            .setHost(url.getHost())
            .setPort(url.getPort() < 0 ? 5432 : url.getPort())
            .setUser(url.getUserInfo().split(":")[0])
            .setPassword(url.getUserInfo().contains(":") ? url.getUserInfo().split(":", 2)[1] : "")
            .setDatabase(url.getPath().substring(1))
            .setCachePreparedStatements(true);
    Vertx vertx = Vertx.vertx();
    // The services' acquire timeout (souq-shared DatabasePool), which arms the pool query's timer.
    PoolOptions options =
        new PoolOptions()
            .setMaxSize(8)
            .setConnectionTimeout(3)
            .setConnectionTimeoutUnit(TimeUnit.SECONDS);
    Pool pool =
        Pool.newInstance(io.vertx.pgclient.PgPool.pool(vertx.getDelegate(), connect, options));
    AtomicLong done = new AtomicLong();
    AtomicBoolean stop = new AtomicBoolean();
    CountDownLatch stopped = new CountDownLatch(SLOTS);
    for (int i = 0; i < SLOTS; i++) {
      vertx.getOrCreateContext().runOnContext(() -> next(leased, pool, done, stop, stopped));
    }
    Thread.sleep(5000);
    long count0 = done.get(), cpu0 = cpu(), t0 = System.nanoTime();
    Thread.sleep(seconds * 1000L);
    long count = done.get() - count0, cpu = cpu() - cpu0, nanos = System.nanoTime() - t0;
    stop.set(true);
    System.out.printf(
        "RESULT mode=%s statements_per_s=%.0f cpu_us_per_statement=%.2f%n",
        args[0], count / (nanos / 1e9), cpu / 1e3 / count);
    if (!stopped.await(10, TimeUnit.SECONDS)) {
      System.out.println("statements still running 10 s after the end");
    }
    pool.closeAndAwait();
    vertx.closeAndAwait();
  }

  private static long cpu() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  private static void next(
      boolean leased, Pool pool, AtomicLong done, AtomicBoolean stop, CountDownLatch stopped) {
    if (stop.get()) {
      stopped.countDown();
      return;
    }
    Tuple parameters = Tuple.of(1);
    Uni<RowSet<Row>> statement =
        leased
            ? pool.withConnection(c -> c.preparedQuery(SQL).execute(parameters))
            : pool.preparedQuery(SQL).execute(parameters);
    statement
        .subscribe()
        .with(
            rows -> {
              done.incrementAndGet();
              next(leased, pool, done, stop, stopped);
            },
            failure -> {
              failure.printStackTrace();
              stopped.countDown();
            });
  }
}
