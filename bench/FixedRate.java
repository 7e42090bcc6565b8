import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Fixed-rate HTTP GET (or POST) load for latency (wrk cannot hold a rate): N keep-alive
 * connections, each sending its share of RATE on a fixed schedule; a request's latency counts from
 * when it was due, so a stall is not hidden (no coordinated omission). The first second is warm-up.
 * Prints p50/p99/max in ms. Usage: java FixedRate.java [OPTIONS] BASE_URL RATE SECONDS PATH...
 * Options: --connections N (default 8); --post FILE (POST FILE's content as application/json);
 * --cookies FILE (one Cookie header value a line, used in turn, e.g. one per session); --slow-ms N
 * (also print, per second of the schedule, how many requests took over N ms and the slowest: where
 * a p99 comes from, a steady tail or one stall).
 */
public class FixedRate {
  private static int connections = 8;
  private static long slowMs = -1;

  public static void main(String[] args) throws Exception {
    byte[] body = null;
    List<String> cookies = List.of();
    int a = 0;
    for (; a < args.length && args[a].startsWith("--"); a += 2) {
      switch (args[a]) {
        case "--connections" -> connections = Integer.parseInt(args[a + 1]);
        case "--slow-ms" -> slowMs = Long.parseLong(args[a + 1]);
        case "--post" -> body = Files.readAllBytes(Path.of(args[a + 1]));
        case "--cookies" ->
            cookies =
                Files.readAllLines(Path.of(args[a + 1])).stream()
                    .filter(l -> !l.isBlank())
                    .toList();
        default -> throw new IllegalArgumentException("Unknown option " + args[a]);
      }
    }
    final byte[] payload = body;
    final List<String> cookieValues = cookies;
    URI base = URI.create(args[a]);
    int rate = Integer.parseInt(args[a + 1]);
    int seconds = Integer.parseInt(args[a + 2]);
    List<String> paths = Arrays.asList(args).subList(a + 3, args.length);
    int perConnection = rate * seconds / connections;
    long interval = 1_000_000_000L * connections / rate;
    long[][] latencies = new long[connections][perConnection];
    AtomicInteger errors = new AtomicInteger();
    long start = System.nanoTime() + 500_000_000L;
    Instant started = Instant.now().plusMillis(500);
    Thread[] threads = new Thread[connections];
    for (int c = 0; c < connections; c++) {
      final int conn = c;
      threads[c] =
          new Thread(
              () -> {
                try (Socket socket = new Socket(base.getHost(), base.getPort())) {
                  socket.setTcpNoDelay(true);
                  OutputStream out = socket.getOutputStream();
                  InputStream in = new BufferedInputStream(socket.getInputStream());
                  for (int i = 0; i < perConnection; i++) {
                    // Connections are staggered within the interval.
                    long due = start + dueAfterStart(i, conn, interval);
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                      LockSupport.parkNanos(wait);
                    }
                    int n = i * connections + conn;
                    String path = paths.get(n % paths.size());
                    StringBuilder head =
                        new StringBuilder(payload == null ? "GET " : "POST ")
                            .append(path)
                            .append(" HTTP/1.1\r\nHost: ")
                            .append(base.getHost())
                            .append("\r\n");
                    if (!cookieValues.isEmpty()) {
                      head.append("Cookie: ")
                          .append(cookieValues.get(n % cookieValues.size()))
                          .append("\r\n");
                    }
                    if (payload != null) {
                      head.append("Content-Type: application/json\r\nContent-Length: ")
                          .append(payload.length)
                          .append("\r\n");
                    }
                    out.write(head.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
                    if (payload != null) {
                      out.write(payload);
                    }
                    out.flush();
                    if (readResponse(in) >= 400) {
                      errors.incrementAndGet();
                    }
                    latencies[conn][i] = System.nanoTime() - due;
                  }
                } catch (IOException e) {
                  errors.incrementAndGet();
                }
              });
      threads[c].start();
    }
    for (Thread t : threads) {
      t.join();
    }
    int warmup = Math.min(rate / connections, perConnection - 1);
    long[] measured =
        Arrays.stream(latencies)
            .flatMapToLong(l -> Arrays.stream(l, warmup, l.length))
            .sorted()
            .toArray();
    if (slowMs >= 0) {
      System.out.printf("schedule started at %s%n", started);
      printSlowSeconds(latencies, warmup, interval);
    }
    System.out.printf(
        "rate=%d/s requests=%d errors=%d p50=%.2fms p99=%.2fms max=%.2fms%n",
        rate,
        measured.length,
        errors.get(),
        measured[measured.length / 2] / 1e6,
        measured[(int) (measured.length * 0.99)] / 1e6,
        measured[measured.length - 1] / 1e6);
  }

  /** Reads one response (status line, headers, Content-Length or chunked body); its status. */
  private static int readResponse(InputStream in) throws IOException {
    String status = line(in);
    int length = 0;
    boolean chunked = false;
    for (String header = line(in); !header.isEmpty(); header = line(in)) {
      if (header.regionMatches(true, 0, "content-length:", 0, 15)) {
        length = Integer.parseInt(header.substring(15).trim());
      } else if (header.regionMatches(true, 0, "transfer-encoding:", 0, 18)) {
        chunked = header.toLowerCase().contains("chunked");
      }
    }
    if (chunked) {
      for (int size = chunk(in); size > 0; size = chunk(in)) {
        in.readNBytes(size);
        line(in);
      }
      while (!line(in).isEmpty()) {} // trailers, then the empty line
    } else {
      in.readNBytes(length);
    }
    return Integer.parseInt(status.split(" ")[1]);
  }

  private static int chunk(InputStream in) throws IOException {
    String size = line(in);
    int ext = size.indexOf(';');
    return Integer.parseInt((ext < 0 ? size : size.substring(0, ext)).trim(), 16);
  }

  private static String line(InputStream in) throws IOException {
    StringBuilder line = new StringBuilder();
    int c;
    while ((c = in.read()) != '\n') {
      if (c == -1) {
        throw new IOException("connection closed");
      }
      if (c != '\r') {
        line.append((char) c);
      }
    }
    return line.toString();
  }

  /** When a connection's i-th request is due, in ns after the schedule's start. */
  private static long dueAfterStart(int i, int conn, long interval) {
    return i * interval + conn * (interval / connections);
  }

  /**
   * Per second of the schedule (from its start, by when each request was due): requests over
   * --slow-ms, and the slowest. Only measured requests count, so second 0 holds just the tail of
   * the warm-up second (its interval is rounded down).
   */
  private static void printSlowSeconds(long[][] latencies, int warmup, long interval) {
    TreeMap<Long, long[]> bySecond = new TreeMap<>();
    for (int conn = 0; conn < latencies.length; conn++) {
      for (int i = warmup; i < latencies[conn].length; i++) {
        long latency = latencies[conn][i];
        if (latency > slowMs * 1_000_000L) {
          long due = dueAfterStart(i, conn, interval);
          long[] second = bySecond.computeIfAbsent(due / 1_000_000_000L, s -> new long[2]);
          second[0]++;
          second[1] = Math.max(second[1], latency);
        }
      }
    }
    bySecond.forEach(
        (second, slow) ->
            System.out.printf(
                "second %d: %d requests over %d ms, the slowest %.1f ms%n",
                second, slow[0], slowMs, slow[1] / 1e6));
  }
}
