package dev.souq.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP relay between a service under test and a real server, which a test can cut and restore to
 * simulate an outage (connections refused and existing ones dropped) without stopping the server
 * that other tests share.
 */
public final class TcpProxy implements AutoCloseable {
  private final String targetHost;
  private final int targetPort;
  private final ServerSocket listener;
  private final ServerSocket control;

  /** Open connections: the client's socket to the server's. */
  private final Map<Socket, Socket> pairs = new ConcurrentHashMap<>();

  private final Set<Socket> held = ConcurrentHashMap.newKeySet();

  /** The client sockets of stranded connections. */
  private final Set<Socket> stranded = ConcurrentHashMap.newKeySet();

  private volatile boolean cut;
  private volatile boolean stalled;
  private final Object thaw = new Object();
  private volatile boolean frozen;

  /** Listens on a free loopback port and relays to {@code targetHost:targetPort}. */
  public TcpProxy(String targetHost, int targetPort) throws IOException {
    this.targetHost = targetHost;
    this.targetPort = targetPort;
    this.listener = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
    this.control = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    daemon(this::acceptLoop, "tcp-proxy-" + listener.getLocalPort());
    daemon(this::controlLoop, "tcp-proxy-control-" + control.getLocalPort());
  }

  /**
   * A port that takes one line, {@code cut}, {@code stall}, {@code freeze}, {@code strand} or
   * {@code restore}, and answers {@code ok} once done, or {@code stranded}, answered {@code ok
   * <n>}: tests in any class loader can steer the proxy (see {@link ProxyControl}).
   */
  public int controlPort() {
    return control.getLocalPort();
  }

  private void controlLoop() {
    while (!control.isClosed()) {
      try (Socket s = control.accept();
          var in = new java.io.BufferedReader(new java.io.InputStreamReader(s.getInputStream()));
          OutputStream out = s.getOutputStream()) {
        String command = in.readLine();
        String answer = "ok";
        if ("cut".equals(command)) {
          cut();
        } else if ("stall".equals(command)) {
          stall();
        } else if ("freeze".equals(command)) {
          freeze();
        } else if ("strand".equals(command)) {
          strand();
        } else if ("stranded".equals(command)) {
          answer = "ok " + strandedConnections();
        } else if ("restore".equals(command)) {
          restore();
        }
        out.write((answer + "\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      } catch (IOException e) {
        if (control.isClosed()) {
          return;
        }
      }
    }
  }

  private static void daemon(Runnable task, String name) {
    Thread thread = new Thread(task, name);
    thread.setDaemon(true);
    thread.start();
  }

  /** The port to point the service at. */
  public int port() {
    return listener.getLocalPort();
  }

  /** Drops every open connection and refuses new ones until {@link #restore()}. */
  public void cut() {
    cut = true;
    pairs.forEach(TcpProxy::closeBoth);
    pairs.clear();
    stranded.clear();
  }

  /**
   * Drops every open connection and holds new ones open without an answer, as a server behind a
   * lost network route does: what a client's connect and acquire timeouts are for.
   */
  public void stall() {
    stalled = true;
    cut();
    cut = false;
  }

  /**
   * Keeps every connection open but lets nothing through, either way, and holds new ones without an
   * answer: a network path gone silent (half-open connections), which only a client's own timeouts
   * end. What was sent meanwhile arrives after {@link #restore()}.
   */
  public void freeze() {
    frozen = true;
    stalled = true;
  }

  /**
   * Leaves every open connection open but drops whatever either side sends on it, for good, while
   * new connections go through: the path of those connections died without a reset (a NAT or
   * balancer that forgot the flow, a server host gone), which only each side's own timeouts notice.
   * A client that closes one is seen doing so; the server's side stays open until {@link
   * #restore()}, as a server that never hears of the close keeps it.
   */
  public void strand() {
    stranded.addAll(pairs.keySet());
  }

  /** How many stranded connections their client has not closed yet. */
  public int strandedConnections() {
    return (int) stranded.stream().filter(client -> !client.isClosed()).count();
  }

  /** Lets connections through again; stranded ones are closed, their streams being cut short. */
  public void restore() {
    cut = false;
    stalled = false;
    synchronized (thaw) {
      frozen = false;
      thaw.notifyAll();
    }
    held.forEach(TcpProxy::closeQuietly);
    held.clear();
    for (Socket client : stranded) {
      Socket server = pairs.remove(client);
      closeBoth(client, server == null ? client : server);
    }
    stranded.clear();
  }

  private void acceptLoop() {
    while (!listener.isClosed()) {
      Socket client;
      try {
        client = listener.accept();
      } catch (IOException closed) {
        return;
      }
      if (cut) {
        closeQuietly(client);
        continue;
      }
      if (stalled) {
        held.add(client);
        continue;
      }
      try {
        Socket server = new Socket();
        server.connect(new InetSocketAddress(targetHost, targetPort), 2000);
        pairs.put(client, server);
        pump(client, server, client);
        pump(server, client, client);
      } catch (IOException e) {
        closeQuietly(client);
      }
    }
  }

  /**
   * Relays {@code from} to {@code to} on a thread of its own, for the connection of {@code client}.
   */
  private void pump(Socket from, Socket to, Socket client) {
    Thread thread =
        new Thread(
            () -> {
              byte[] buffer = new byte[16384];
              try {
                InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream();
                int n;
                while ((n = in.read(buffer)) != -1) {
                  if (stranded.contains(client)) {
                    continue;
                  }
                  awaitThaw();
                  out.write(buffer, 0, n);
                  out.flush();
                }
              } catch (IOException ignored) {
                // one side closed: closed below
              } finally {
                if (stranded.contains(client)) {
                  closeQuietly(client); // the server's side waits for restore()
                } else {
                  closeBoth(from, to);
                  pairs.remove(client);
                }
              }
            },
            "tcp-proxy-pump");
    thread.setDaemon(true);
    thread.start();
  }

  private void awaitThaw() throws InterruptedIOException {
    synchronized (thaw) {
      while (frozen) {
        try {
          thaw.wait();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new InterruptedIOException("interrupted while frozen");
        }
      }
    }
  }

  private static void closeBoth(Socket one, Socket other) {
    closeQuietly(one);
    closeQuietly(other);
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // already closed
    }
  }

  @Override
  public void close() throws IOException {
    restore();
    cut();
    listener.close();
    control.close();
  }
}
