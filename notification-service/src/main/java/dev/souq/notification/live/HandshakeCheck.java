package dev.souq.notification.live;

import io.quarkus.websockets.next.HttpUpgradeCheck;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Refuses with 400, before anything else is spent on it, a request websockets-next takes for a
 * WebSocket handshake (it has a {@code Sec-WebSocket-Key}) that cannot become one (RFC 6455): not
 * over HTTP/1.1, or without {@code Upgrade: websocket}. Over HTTP/2 (h2c) Vert.x cannot turn the
 * stream into a WebSocket and websockets-next never answered, so the client's request hung for as
 * long as it waited; without the header Vert.x answers 400 itself, but only after a socket slot and
 * a rate check were spent on it. Browsers open WebSockets over HTTP/1.1 with the header.
 */
@ApplicationScoped
@Priority(OriginCheck.PRIORITY + 100) // before every other check: nothing else is worth doing
class HandshakeCheck implements HttpUpgradeCheck {
  private static final Uni<CheckResult> PERMIT = CheckResult.permitUpgrade();
  private static final Uni<CheckResult> REFUSE = CheckResult.rejectUpgrade(400);

  @Override
  public Uni<CheckResult> perform(HttpUpgradeContext context) {
    HttpServerRequest request = context.httpRequest();
    String upgrade = request.getHeader("Upgrade");
    boolean websocket = upgrade != null && upgrade.toLowerCase().contains("websocket");
    return request.version() == HttpVersion.HTTP_1_1 && websocket ? PERMIT : REFUSE;
  }
}
