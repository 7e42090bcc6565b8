package dev.souq.order.messaging;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.souq.order.config.OrderConfig;
import dev.souq.shared.messages.OrderUpdate;
import dev.souq.shared.messages.TaskQueues;
import dev.souq.shared.redis.LuaScript;
import dev.souq.shared.redis.RedisPipelines;
import dev.souq.shared.redis.WorkerWakeup;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The relay's Redis half: sends a batch of outbox rows, order updates (XADD + PUBLISH, one script)
 * and jobs (LPUSH), in one pipeline per hash slot, records each row's lag from its insert, and
 * after jobs wakes an idle worker ({@link WorkerWakeup}).
 */
@Singleton
class OutboxSender {
  private static final LuaScript PUBLISH = LuaScript.fromClasspath(OrderUpdate.PUBLISH_SCRIPT);
  private static final long WARN_EVERY_NANOS = TimeUnit.MINUTES.toNanos(1);
  private static final Duration MAX_ACK_TIMEOUT = Duration.ofSeconds(5);

  private final RedisPipelines pipelines;
  private final OrderConfig.Outbox config;
  private final ObjectMapper json;
  private final RelaySpans spans;
  private final Timer lag;
  private final Counter unreplicated;
  private final AtomicLong lastUnreplicatedWarning =
      new AtomicLong(System.nanoTime() - WARN_EVERY_NANOS - 1);

  OutboxSender(
      RedisPipelines pipelines,
      OrderConfig config,
      ObjectMapper json,
      RelaySpans spans,
      MeterRegistry registry) {
    this.pipelines = pipelines;
    this.config = config.outbox();
    this.json = json;
    this.spans = spans;
    if (this.config.batch() < 1 || this.config.batch() > RedisPipelines.MAX_COMMANDS) {
      // Longer, a batch would go to Redis in parts, each waiting for the replicas on its own.
      throw new IllegalArgumentException(
          "order.outbox.batch must be from 1 to "
              + RedisPipelines.MAX_COMMANDS
              + ", not "
              + this.config.batch());
    }
    if (this.config.replicaAckTimeout().compareTo(MAX_ACK_TIMEOUT) >= 0) {
      // A batch has 10 s in all: a wait near that would fail every batch, and none would leave.
      throw new IllegalArgumentException(
          "order.outbox.replica-ack-timeout must be under "
              + MAX_ACK_TIMEOUT.toSeconds()
              + " s, not "
              + this.config.replicaAckTimeout().toMillis()
              + " ms");
    }
    if (this.config.replicaAcks() > 0) {
      Log.infof(
          "Outbox batches wait for %d Redis replica(s), up to %d ms each",
          this.config.replicaAcks(), this.config.replicaAckTimeout().toMillis());
    }
    this.unreplicated =
        Counter.builder("souq.outbox.unreplicated")
            .description(
                "Batches that fewer Redis replicas took than order.outbox.replica-acks asks for")
            .register(registry);
    this.lag =
        Timer.builder("souq.outbox.lag")
            // From the row's insert, not its commit (which PostgreSQL does not time unless
            // track_commit_timestamp is on): the commit's WAL flush is in the figure.
            .description("From a change's outbox insert, its commit included, to Redis")
            .publishPercentiles(0.5, 0.99)
            // Buckets as well: quantiles over any window (histogram_quantile), not only the last
            // minutes since start-up, for dashboards and for bench/status.sh.
            .publishPercentileHistogram()
            .minimumExpectedValue(Duration.ofMillis(1))
            .maximumExpectedValue(Duration.ofSeconds(10))
            .register(registry);
  }

  /**
   * Sends the batch in one pipeline on one connection, so in order and in one round trip (sent one
   * by one, a busy event loop let the outbox fall seconds behind); on a Cluster, one pipeline per
   * hash slot, each in order: the order updates share one slot, each queue has its own. All or
   * nothing: on a failure nothing is deleted and the batch is sent again later; if a failure cut
   * the pipeline midway, consumers drop the repeats by event_id / idempotency key. The ids of the
   * rows sent: all of them, or none.
   */
  Uni<List<Long>> send(List<Row> batch) {
    if (batch.isEmpty()) {
      return Uni.createFrom().item(List.of());
    }
    List<String> keys = new ArrayList<>(batch.size());
    List<Request> requests = new ArrayList<>(batch.size());
    RelaySpans.Batch traced = spans.batch(batch.size());
    boolean jobs = false;
    for (Row row : batch) {
      jobs |= addRequest(row, keys, requests, traced);
    }
    boolean wake = jobs;
    return sendAndWait(keys, requests)
        .invoke(traced::sent)
        .onFailure()
        .invoke(traced::failed)
        .map(
            replies -> {
              Instant now = Instant.now();
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
            })
        .invoke(
            sent -> {
              // After the jobs, never holding up or failing the batch: an idle worker takes them.
              if (wake && !sent.isEmpty()) {
                WorkerWakeup.send(pipelines.redis());
              }
            });
  }

  /**
   * The batch's pipelines; with {@code replica-acks}, each waits for that many replicas, and a
   * batch that fewer took is counted (on a Cluster some slots may have their replicas while
   * another's primary has just lost its own, so the warning is rate-limited, not per change).
   */
  private Uni<List<Response>> sendAndWait(List<String> keys, List<Request> requests) {
    int wanted = config.replicaAcks();
    if (wanted <= 0) {
      return pipelines.send(keys, requests);
    }
    return pipelines
        .sendAndWait(keys, requests, wanted, config.replicaAckTimeout())
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
                      sent.replicas(), wanted, config.replicaAckTimeout().toMillis());
                }
              }
              return sent.replies();
            });
  }

  /**
   * The row's command, and the key that places it (on a Cluster: its slot's pipeline); its span
   * when it carries a trace. True for a job.
   */
  private boolean addRequest(
      Row row, List<String> keys, List<Request> requests, RelaySpans.Batch traced) {
    String payload = row.getString("payload");
    JsonNode message = parse(payload);
    if ("TASK".equals(row.getString("kind"))) {
      String queue = TaskQueues.key(queue(message));
      keys.add(queue);
      requests.add(Request.cmd(Command.LPUSH).arg(queue).arg(payload));
      traced.row(queue, message.path("traceparent").asText(null));
      return true;
    }
    List<String> scriptKeys = OrderUpdate.publishKeys(userId(message));
    keys.add(scriptKeys.get(0));
    requests.add(
        PUBLISH.request(scriptKeys, OrderUpdate.publishArgs(payload, config.streamMaxLength())));
    traced.row(OrderUpdate.CHANNEL, message.path("traceparent").asText(null));
    return false;
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
}
