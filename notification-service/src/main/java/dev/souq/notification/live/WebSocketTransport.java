package dev.souq.notification.live;

import static java.util.concurrent.TimeUnit.MILLISECONDS;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;

/**
 * A WebSocket's {@link Transport}: frames are written on its event loop, without a flush; {@link
 * #flush} ends a burst. websockets-next has no API for a pre-encoded frame or for deferring a
 * flush: its {@code sendText} encodes the String into a new frame for every connection and flushes
 * every message (one syscall each), behind a Uni. So the sink writes the shared frame bytes to the
 * Netty channel under the connection ({@link SocketChannels}): below Vert.x's WebSocket encoder,
 * which passes bytes through, and in order with every other write, since all of them happen on the
 * connection's event loop. If a future websockets-next hides that socket differently, connections
 * fall back to {@code sendText} (slower, same protocol) and a warning says so; a test asserts the
 * direct path is the one in use.
 */
abstract class WebSocketTransport extends Transport {
  /** Close code for a client too slow to take its messages (4000–4999: application codes). */
  static final CloseReason TOO_SLOW = new CloseReason(4008, "too slow: send queue full");

  static final CloseReason ENDED = new CloseReason(1008, "session ended");

  /** RFC 6455's Service Restart: the page reconnects at once and resumes from its offset. */
  static final CloseReason RESTART = new CloseReason(1012, "service restart");

  /** A ping with no payload, as a server sends it (FIN, opcode 9, unmasked, length 0); shared. */
  private static final ByteBuf PING =
      Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(new byte[] {(byte) 0x89, 0}));

  /** How long a client has to answer the close frame: Vert.x's own default closing timeout. */
  static final Duration CLOSE_ANSWER_WAIT = Duration.ofSeconds(10);

  final WebSocketConnection connection;
  final Written written;

  /**
   * Set by {@link #end} before the close frame is sent: RFC 6455 allows no data frame after it, and
   * the connection stays routed until the client answers the close (or {@link #letGoAfter}). The
   * close frame is written on the socket's loop after this is set, so a write the loop runs after
   * the close frame sees it.
   */
  private volatile boolean ended;

  private WebSocketTransport(WebSocketConnection connection, Written written) {
    this.connection = connection;
    this.written = written;
  }

  /** Whether frames go straight to the channel (false: through websockets-next's sendText). */
  abstract boolean direct();

  static WebSocketTransport of(WebSocketConnection connection, Written written) {
    ChannelHandlerContext channel = SocketChannels.of(connection);
    return channel != null
        ? new Direct(connection, channel, written)
        : new Fallback(connection, written);
  }

  @Override
  String id() {
    return connection.id();
  }

  @Override
  final void write(Frame frame) {
    if (ended) {
      written.written(false);
      return;
    }
    send(frame);
  }

  /** Writes a frame of a connection not ended, unflushed. */
  abstract void send(Frame frame);

  @Override
  final void keepAlive() {
    if (!ended) { // nothing follows the close frame
      ping();
    }
  }

  /** Sends a ping, flushed. */
  abstract void ping();

  @Override
  void end(Ending why) {
    CloseReason reason =
        switch (why) {
          case TOO_SLOW -> TOO_SLOW;
          case SESSION_ENDED -> ENDED;
          case RESTART -> RESTART;
        };
    close(reason).subscribe().with(ok -> {});
  }

  /**
   * Sends the close frame with {@code reason}: no data frame follows it, and the TCP connection is
   * reset {@link #CLOSE_ANSWER_WAIT} later unless the client has answered by then. The Uni ends
   * when the close frame is written, or the connection is gone.
   */
  Uni<Void> close(CloseReason reason) {
    ended = true;
    if (connection.isClosed()) {
      return Uni.createFrom().voidItem(); // the client left first (a drain meets many of those)
    }
    // Fails only when the connection went away first (letGoAfter's drop included): no error.
    Uni<Void> closing = connection.close(reason).onFailure().recoverWithNull();
    letGoAfter(CLOSE_ANSWER_WAIT);
    return closing;
  }

  /**
   * Resets the TCP connection {@code wait} from now if the client has not ended it by then. A peer
   * that stopped reading never gets the close frame (it waits behind the data it does not read), so
   * no answer comes and the closing handshake does not end: the socket and its unsent frames stayed
   * ESTABLISHED (still 40 s later in a test), outside every connection cap, which it had left.
   */
  abstract void letGoAfter(Duration wait);

  @Override
  boolean isClosed() {
    return connection.isClosed();
  }

  /** Straight to the Netty channel: the shared bytes, one flush per burst. */
  private static final class Direct extends WebSocketTransport {
    private final ChannelHandlerContext channel;
    private final ChannelFutureListener done;

    Direct(WebSocketConnection connection, ChannelHandlerContext channel, Written written) {
      super(connection, written);
      this.channel = channel;
      this.done = future -> written.written(future.isSuccess());
    }

    @Override
    void send(Frame frame) {
      channel.write(frame.wire(), channel.newPromise().addListener(done));
    }

    @Override
    void flush() {
      channel.flush();
    }

    @Override
    void ping() {
      // A failed write fails its own future only: a connection lost meanwhile is no error here.
      channel.writeAndFlush(PING.duplicate());
    }

    @Override
    void letGoAfter(Duration wait) {
      var drop = channel.executor().schedule(this::reset, wait.toMillis(), MILLISECONDS);
      // A client that answers in time must not keep its pipeline alive until then.
      channel.channel().closeFuture().addListener(closed -> drop.cancel(false));
    }

    /**
     * Closes with a reset, not a FIN: behind unsent frames a FIN would wait too, and the kernel
     * would keep the socket (FIN_WAIT1) and those frames for minutes against a peer reading none.
     */
    private void reset() {
      channel.channel().config().setOption(ChannelOption.SO_LINGER, 0);
      channel.close();
    }

    @Override
    boolean direct() {
      return true;
    }
  }

  /** Through websockets-next: a frame and a flush per message. */
  private static final class Fallback extends WebSocketTransport {
    Fallback(WebSocketConnection connection, Written written) {
      super(connection, written);
    }

    @Override
    void send(Frame frame) {
      connection
          .sendText(frame.text())
          .subscribe()
          .with(sent -> written.written(true), failure -> written.written(false));
    }

    @Override
    void flush() {}

    @Override
    void ping() {
      connection.sendPing(Buffer.buffer()).subscribe().with(sent -> {}, failure -> {});
    }

    /** websockets-next has no way to drop the TCP connection: its closing handshake decides. */
    @Override
    void letGoAfter(Duration wait) {}

    @Override
    boolean direct() {
      return false;
    }
  }
}
