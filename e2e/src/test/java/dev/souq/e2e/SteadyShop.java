package dev.souq.e2e;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A shopper placing an order and a visitor reading a product, every 200 ms each, through the
 * gateway, until closed: the steady traffic a failover happens under. Remembers the orders placed
 * (201) and every answer's status.
 */
final class SteadyShop implements AutoCloseable {
  private static final Pattern ID = Pattern.compile("\"id\":(\\d+)");

  private final HttpClient http = HttpClient.newHttpClient();
  private final String url;
  private final String session;
  private final List<Long> placed = new CopyOnWriteArrayList<>();
  private final Map<String, AtomicLong> answers = new ConcurrentHashMap<>();
  private final ScheduledExecutorService pace =
      Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "steady-shop"));

  private SteadyShop(SouqSystem system) {
    this.url = system.url();
    this.session = system.guestSession();
  }

  static SteadyShop start(SouqSystem system) {
    SteadyShop shop = new SteadyShop(system);
    shop.pace.scheduleWithFixedDelay(shop::step, 0, 200, TimeUnit.MILLISECONDS);
    return shop;
  }

  private void step() {
    order();
    read();
  }

  private void order() {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(url + "/api/orders"))
            .timeout(Duration.ofSeconds(10))
            .header("Cookie", "SOUQ_SESSION=" + session)
            .header("Content-Type", "application/json")
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    "{\"items\":[{\"product_id\":4,\"quantity\":1}]}"))
            .build();
    HttpResponse<String> answer = send("order", request);
    if (answer != null && answer.statusCode() == 201) {
      Matcher id = ID.matcher(answer.body());
      if (id.find()) {
        placed.add(Long.parseLong(id.group(1)));
      }
    }
  }

  private void read() {
    send(
        "catalog",
        HttpRequest.newBuilder(URI.create(url + "/api/products/5"))
            .timeout(Duration.ofSeconds(10))
            .build());
  }

  private HttpResponse<String> send(String what, HttpRequest request) {
    try {
      HttpResponse<String> answer = http.send(request, HttpResponse.BodyHandlers.ofString());
      count(what + " " + answer.statusCode());
      return answer;
    } catch (java.io.IOException e) {
      count(what + " no answer");
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  private void count(String answer) {
    answers.computeIfAbsent(answer, a -> new AtomicLong()).incrementAndGet();
  }

  /** The orders placed so far (answered 201). */
  List<Long> placed() {
    return List.copyOf(placed);
  }

  /** How often each answer came, e.g. {@code "catalog 200"}, {@code "order 503"}. */
  Map<String, Long> answers() {
    Map<String, Long> counts = new java.util.TreeMap<>();
    answers.forEach((answer, count) -> counts.put(answer, count.get()));
    return counts;
  }

  @Override
  public void close() throws InterruptedException {
    pace.shutdown();
    pace.awaitTermination(15, TimeUnit.SECONDS);
  }
}
