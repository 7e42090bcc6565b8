package dev.souq.notification.live;

import dev.souq.notification.config.NotificationConfig;
import dev.souq.shared.metrics.Gauges;
import io.micrometer.core.instrument.Gauge;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.ScheduledFuture;
import io.quarkus.runtime.Startup;
import io.quarkus.websockets.next.WebSocketConnection;
import io.vertx.core.http.HttpServerRequest;
import jakarta.inject.Singleton;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The WebSockets this instance takes ({@code notification.max-connections}), counted from the
 * upgrade check that lets one through ({@link UpgradeBudget}) until its TCP connection is gone:
 * while its rate check waits on Redis, while it opens, while its session is looked up and while a
 * turned-away one waits for the client to answer its close, not only once routed ({@link
 * Listeners}). Each of those states costs heap (~12 KB a socket, ~5 KB an upgrade waiting on its
 * check), and a storm of clients reopening at once whatever turned them away kept 20,000 of them on
 * a 256 MB heap and ran it out (bench/RESULTS.md). Counting only from {@code @OnOpen} left the
 * seconds between the check and the open uncounted: in a storm with the rate limiter on, upgrades
 * poured through there and ran the heap out all the same.
 *
 * <p>A slot is taken in the upgrade check, for the request's connection, and given back when the
 * rate check refuses, when the connection closes, or when no socket opened on it within {@link
 * #OPEN_WITHIN_SECONDS} (a later check refused it, or the handshake failed). Once its socket opens
 * it stays until TCP close. All of a connection's steps run on its event loop.
 */
@Singleton
@Startup // its gauge is there from the start, not from the first upgrade
class HeldSockets {
  /** How long a slot waits for its socket to open; normally microseconds, seconds in a storm. */
  static final int OPEN_WITHIN_SECONDS = 10;

  private static final AttributeKey<Slot> SLOT = AttributeKey.valueOf("souq.ws.slot");

  private final AtomicInteger open = new AtomicInteger();
  private final AtomicInteger taken = new AtomicInteger();
  private final int max;

  HeldSockets(NotificationConfig config, Gauges gauges) {
    this.max = config.maxConnections();
    gauges.register(
        Gauge.builder("souq.ws.sockets", open, AtomicInteger::get)
            .description(
                "WebSockets open on this instance: opening, routed or closing (until TCP close)"));
    gauges.register(
        Gauge.builder("souq.ws.slots", taken, AtomicInteger::get)
            .description("Slots of notification.max-connections taken: sockets and upgrades"));
  }

  /** WebSockets open now. */
  int held() {
    return open.get();
  }

  /** Slots taken now: open sockets and upgrades on their way. */
  int taken() {
    return taken.get();
  }

  /**
   * Takes a slot for the upgrade {@code request} asks for; false if this instance has none left.
   * One slot per connection: a connection's next upgrade request, while its last one's slot is
   * still out, uses that slot. A request whose connection cannot be reached takes none: a socket is
   * counted once it opens. Only HTTP/1.1 handshakes get here ({@link HandshakeCheck} runs first),
   * so a connection carries one request at a time.
   */
  boolean reserve(HttpServerRequest request) {
    ChannelHandlerContext context = SocketChannels.of(request);
    if (context == null) {
      return taken.get() < max;
    }
    Channel channel = context.channel();
    assert channel.eventLoop().inEventLoop() : "a slot is confined to its connection's loop";
    Slot slot = channel.attr(SLOT).get();
    if (slot != null && !slot.freed) {
      slot.expiry.cancel(false); // its last upgrade came to nothing: the slot waits for this one
    } else {
      if (!takeOne()) {
        return false;
      }
      slot = new Slot(channel);
      channel.attr(SLOT).set(slot);
      channel.closeFuture().addListener(slot); // at once if the connection is already gone
    }
    slot.expiry = channel.eventLoop().schedule(slot::expire, OPEN_WITHIN_SECONDS, TimeUnit.SECONDS);
    return true;
  }

  /** Gives back the slot of {@code request}'s upgrade, refused after {@link #reserve}. */
  void release(HttpServerRequest request) {
    ChannelHandlerContext context = SocketChannels.of(request);
    Slot slot = context == null ? null : context.channel().attr(SLOT).getAndSet(null);
    if (slot != null) {
      slot.free();
    }
  }

  /**
   * Counts a WebSocket that has just opened until its TCP connection closes, in the slot its
   * upgrade took if it still has one; false if this puts the instance over its cap, for the caller
   * to close it.
   */
  boolean take(WebSocketConnection connection) {
    ChannelHandlerContext context = SocketChannels.of(connection);
    if (context == null) {
      return true; // no channel to watch (SocketChannels warned): uncounted, as before the cap
    }
    Channel channel = context.channel();
    assert channel.eventLoop().inEventLoop() : "a slot is confined to its connection's loop";
    Slot slot = channel.attr(SLOT).getAndSet(null);
    if (slot != null && !slot.freed) {
      slot.opened();
      return true;
    }
    // Its slot expired while it opened, or it never took one: counted all the same, as it holds a
    // socket until the client answers its close.
    boolean within = taken.incrementAndGet() <= max;
    Slot late = new Slot(channel);
    late.opened(); // before the listener, which runs at once if the connection is already gone
    channel.closeFuture().addListener(late);
    return within;
  }

  private boolean takeOne() {
    if (taken.incrementAndGet() > max) {
      taken.decrementAndGet();
      return false;
    }
    return true;
  }

  /** One connection's slot; confined to its event loop. Listens for the connection's close. */
  private final class Slot implements ChannelFutureListener {
    private final Channel channel;
    private ScheduledFuture<?> expiry;
    private boolean opened;
    private boolean freed;

    Slot(Channel channel) {
      this.channel = channel;
    }

    void opened() {
      opened = true;
      open.incrementAndGet();
      if (expiry != null) {
        expiry.cancel(false);
      }
    }

    void expire() {
      if (!opened) {
        channel.attr(SLOT).compareAndSet(this, null);
        free();
      }
    }

    @Override
    public void operationComplete(ChannelFuture closed) {
      free();
    }

    void free() {
      if (freed) {
        return;
      }
      freed = true;
      taken.decrementAndGet();
      if (opened) {
        open.decrementAndGet();
      }
      if (expiry != null) {
        expiry.cancel(false);
      }
      // A connection kept open after a refusal must not gather one listener per refused upgrade.
      channel.closeFuture().removeListener(this);
    }
  }
}
