import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An OTLP/HTTP collector that takes every export and keeps nothing: the far end of "export on" in
 * bench/tracing.sh, so the services pay for making, batching and sending spans, not a real
 * collector's CPU. Usage: java bench/OtlpSink.java PORT; prints the exports and bytes taken on
 * stdin's end (kill).
 */
public class OtlpSink {
  public static void main(String[] args) throws Exception {
    AtomicLong exports = new AtomicLong();
    AtomicLong bytes = new AtomicLong();
    HttpServer server =
        HttpServer.create(new InetSocketAddress("127.0.0.1", Integer.parseInt(args[0])), 64);
    server.createContext(
        "/v1/traces",
        exchange -> {
          bytes.addAndGet(exchange.getRequestBody().readAllBytes().length);
          exports.incrementAndGet();
          exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
          exchange.sendResponseHeaders(200, 0);
          exchange.close();
        });
    server.setExecutor(Executors.newFixedThreadPool(2));
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(() -> System.out.println("exports " + exports + ", bytes " + bytes)));
    server.start();
  }
}
