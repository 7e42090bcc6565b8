import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Fixed-rate HTTP GET load for latency (wrk cannot hold a rate): CONNECTIONS keep-alive connections,
 * each sending its share of RATE on a fixed schedule; a request's latency counts from when it was
 * due, so a stall is not hidden (no coordinated omission). The first second is warm-up. Prints
 * p50/p99/max in ms. Usage: java FixedRate.java BASE_URL RATE SECONDS PATH...
 */
public class FixedRate {
  private static final int CONNECTIONS = 8;

  public static void main(String[] args) throws Exception {
    URI base = URI.create(args[0]);
    int rate = Integer.parseInt(args[1]);
    int seconds = Integer.parseInt(args[2]);
    List<String> paths = Arrays.asList(args).subList(3, args.length);
    int perConnection = rate * seconds / CONNECTIONS;
    long interval = 1_000_000_000L * CONNECTIONS / rate;
    long[][] latencies = new long[CONNECTIONS][perConnection];
    AtomicInteger errors = new AtomicInteger();
    long start = System.nanoTime() + 500_000_000L;
    Thread[] threads = new Thread[CONNECTIONS];
    for (int c = 0; c < CONNECTIONS; c++) {
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
                    long due = start + i * interval + conn * (interval / CONNECTIONS);
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                      LockSupport.parkNanos(wait);
                    }
                    String path = paths.get((i * CONNECTIONS + conn) % paths.size());
                    out.write(
                        ("GET " + path + " HTTP/1.1\r\nHost: " + base.getHost() + "\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
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
    int warmup = Math.min(rate / CONNECTIONS, perConnection - 1);
    long[] measured =
        Arrays.stream(latencies)
            .flatMapToLong(l -> Arrays.stream(l, warmup, l.length))
            .sorted()
            .toArray();
    System.out.printf(
        "rate=%d/s requests=%d errors=%d p50=%.2fms p99=%.2fms max=%.2fms%n",
        rate,
        measured.length,
        errors.get(),
        measured[measured.length / 2] / 1e6,
        measured[(int) (measured.length * 0.99)] / 1e6,
        measured[measured.length - 1] / 1e6);
  }

  /** Reads one response (status line, headers, Content-Length body); returns the status. */
  private static int readResponse(InputStream in) throws IOException {
    String status = line(in);
    int length = 0;
    for (String header = line(in); !header.isEmpty(); header = line(in)) {
      if (header.regionMatches(true, 0, "content-length:", 0, 15)) {
        length = Integer.parseInt(header.substring(15).trim());
      }
    }
    in.readNBytes(length);
    return Integer.parseInt(status.split(" ")[1]);
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
}
