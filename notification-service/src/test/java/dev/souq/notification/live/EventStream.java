package dev.souq.notification.live;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * An SSE client of {@code /sse/orders} as the page's fallback is: keeps each event's id and data,
 * and counts the comment lines (heartbeats). Parses the stream by the WHATWG rules the page uses.
 */
final class EventStream implements LiveClient {
  private static final Vertx VERTX = Vertx.vertx();

  /** One event: its id (null for a control message) and its data as JSON. */
  record Event(String id, JsonObject data) {}

  private final HttpClient client;
  private final HttpClientResponse response;
  private final List<Event> events = new CopyOnWriteArrayList<>();
  private final StringBuilder pending = new StringBuilder();
  private volatile int comments;
  private volatile boolean ended;
  private volatile String body = "";

  private EventStream(HttpClient client, HttpClientResponse response) {
    this.client = client;
    this.response = response;
    response.handler(this::chunk);
    response.endHandler(v -> ended = true);
    response.exceptionHandler(e -> ended = true);
  }

  /**
   * Opens {@code /sse/orders} on {@code base} with the session cookie (none if null), the query
   * (none if null) and extra headers (name, value, …).
   */
  static EventStream open(URI base, String session, String query, String... headers) {
    RequestOptions options =
        new RequestOptions()
            .setMethod(HttpMethod.GET)
            .setHost(base.getHost())
            .setPort(base.getPort())
            .setURI("/sse/orders" + (query == null ? "" : "?" + query))
            .addHeader("Accept", "text/event-stream");
    if (session != null) {
      options.addHeader("Cookie", "SOUQ_SESSION=" + session);
    }
    for (int i = 0; i + 1 < headers.length; i += 2) {
      options.addHeader(headers[i], headers[i + 1]);
    }
    HttpClient client = VERTX.createHttpClient();
    CompletableFuture<EventStream> opened = new CompletableFuture<>();
    // The handlers go on in the response callback, before a chunk is read: so the request is made
    // on an event loop's context and the callback runs there too, on the connection's thread.
    // Made from the test's thread, the callback was handed to another event loop, and a short
    // answer (a 400) could end before its handlers were set ("Response already ended").
    VERTX
        .getOrCreateContext()
        .runOnContext(
            v ->
                client
                    .request(options)
                    .compose(request -> request.send())
                    .onComplete(
                        sent -> {
                          if (sent.succeeded()) {
                            opened.complete(new EventStream(client, sent.result()));
                          } else {
                            opened.completeExceptionally(sent.cause());
                          }
                        }));
    try {
      return opened.get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      client.close();
      throw new IllegalStateException("Cannot open /sse/orders", e);
    }
  }

  private synchronized void chunk(Buffer chunk) {
    String text = chunk.toString(StandardCharsets.UTF_8);
    if (response.statusCode() != 200) {
      body += text;
      return;
    }
    pending.append(text);
    int end;
    while ((end = pending.indexOf("\n\n")) >= 0) {
      String block = pending.substring(0, end);
      pending.delete(0, end + 2);
      String id = null;
      StringBuilder data = null;
      for (String line : block.split("\n")) {
        if (line.startsWith(":")) {
          comments++;
        } else if (line.startsWith("id: ")) {
          id = line.substring(4);
        } else if (line.startsWith("data: ")) {
          data = data == null ? new StringBuilder() : data.append('\n');
          data.append(line.substring(6));
        }
      }
      if (data != null) {
        events.add(new Event(id, new JsonObject(data.toString())));
      }
    }
  }

  @Override
  public void stopReading() {
    response.pause();
  }

  HttpClientResponse response() {
    return response;
  }

  /** The body of a refusal (anything but 200). */
  String body() {
    return body;
  }

  List<Event> events() {
    return List.copyOf(events);
  }

  @Override
  public List<JsonObject> updates() {
    return events.stream()
        .map(Event::data)
        .filter(m -> "order_update".equals(m.getString("type")))
        .toList();
  }

  /** The ids of the events that had one, in order. */
  List<String> ids() {
    return events.stream().map(Event::id).filter(id -> id != null).toList();
  }

  int comments() {
    return comments;
  }

  /** Whether the server ended the response or the connection is gone. */
  boolean ended() {
    return ended;
  }

  @Override
  public void close() {
    client.close();
  }
}
