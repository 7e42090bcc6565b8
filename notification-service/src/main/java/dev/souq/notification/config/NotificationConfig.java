package dev.souq.notification.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** notification-service settings ({@code notification.*}). */
@ConfigMapping(prefix = "notification")
public interface NotificationConfig {

  /**
   * Live connections this instance accepts, capped twice: the WebSockets it holds in any state,
   * from the upgrade check that lets one through until its TCP connection is gone (the next upgrade
   * is refused with 503 and Retry-After), and the connections it routes updates to, WebSocket and
   * SSE together (past it a WebSocket is closed with 1013, SSE answered 503). At ~12 KB of heap a
   * socket, the heap must hold this many: the default fits the images' 256 MB, where 20,000 ran
   * out, and once 12,000, in a storm of clients coming back at once.
   */
  @WithName("max-connections")
  @WithDefault("10000")
  int maxConnections();

  /**
   * Connections one user may hold on this instance (tabs, devices); more are closed with 1013 (SSE:
   * 429).
   */
  @WithName("max-connections-per-user")
  @WithDefault("10")
  int maxConnectionsPerUser();

  /**
   * Connections one client address (IPv4, or IPv6 /64) may hold on this instance; more are closed
   * with 1013 (SSE: 429). Counted per replica: with N replicas a client may hold up to N times this
   * many.
   */
  @WithName("max-connections-per-client")
  @WithDefault("100")
  int maxConnectionsPerClient();

  /**
   * Messages a connection may have waiting to be written; a client that falls this far behind is
   * closed (4008) rather than buffered without bound. A replay queues up to a user's whole stream
   * (256 updates) at once, before the socket takes any: the default leaves room for that and for
   * the live updates it held meanwhile.
   */
  @WithName("send-queue")
  @WithDefault("512")
  int sendQueue();

  /**
   * Messages a client may send in a burst, refilled at this many per 10 s; past it the connection
   * is closed with 1008 (a browser sends one resume per connection).
   */
  @WithName("client-messages")
  @WithDefault("20")
  int clientMessages();

  /**
   * How often all connections are checked against their Redis sessions: the net under the announced
   * ends and the look at each session's own expiry (SessionWatch).
   */
  @WithName("session-check-interval")
  @WithDefault("30s")
  Duration sessionCheckInterval();

  /**
   * How long a connection about to open waits for its session in Redis before it is turned away
   * (WebSocket 1013, SSE 503): the Redis client's commands have no deadline of their own. As long
   * as the Redis connections' read-idle bound: in a reconnect storm the answer waits behind
   * thousands of upgrades on the event loops, and at 2 s most of 10,000 connections opened at once
   * were turned away with their answer already read, then came back and cost their upgrade again.
   */
  @WithName("session-lookup-timeout")
  @WithDefault("10s")
  Duration sessionLookupTimeout();

  /**
   * The shortest time between two resumes of one connection; one sooner gets an error message and
   * the connection stays open.
   */
  @WithName("resume-interval")
  @WithDefault("5s")
  Duration resumeInterval();

  /** Stream entries read per round trip while catching up after a Redis outage. */
  @WithName("replay-batch")
  @WithDefault("500")
  int replayBatch();

  /**
   * Origins (e.g. {@code https://shop.example.com}) whose pages may open {@code /ws/orders}; unset,
   * only pages of the host the upgrade was sent to ({@code SOUQ_ALLOWED_ORIGINS}, comma-separated).
   */
  @WithName("allowed-origins")
  Optional<List<String>> allowedOrigins();

  /**
   * Whether {@code /ws/orders?session=<id>} is accepted beside the cookie, for clients that cannot
   * send one. Off by default: a session id in a URL lands in access logs and browser history.
   */
  @WithName("session-query-param")
  @WithDefault("false")
  boolean sessionQueryParam();

  /**
   * How long an {@code /sse/orders} stream goes without a write before it gets a comment line, so
   * that proxies and load balancers (which commonly cut after 60 s of silence) keep it open; each
   * stream waits its own share of it, from half to all (live.KeepAlive); 0 sends none.
   */
  @WithName("sse-heartbeat")
  @WithDefault("25s")
  Duration sseHeartbeat();

  /**
   * How long a {@code /ws/orders} connection goes without a frame before it gets a ping, for the
   * same reason and in the same way; 0 sends none.
   */
  @WithName("ping-interval")
  @WithDefault("25s")
  Duration pingInterval();

  /**
   * On shutdown (a rolling restart, a scale-in), the time over which this instance's connections
   * are closed with 1012 Service Restart, evenly spread, so that the other replicas see their
   * reconnects as a trickle. Keep it well inside the pod's termination grace period.
   */
  @WithName("drain-window")
  @WithDefault("10s")
  Duration drainWindow();

  /** The longest wait between two attempts to re-subscribe after Redis went away. */
  @WithName("reconnect-max-backoff")
  @WithDefault("5s")
  Duration reconnectMaxBackoff();
}
