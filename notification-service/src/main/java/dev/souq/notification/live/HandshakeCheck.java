package dev.souq.notification.live;

import io.quarkus.websockets.next.HttpUpgradeCheck;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpVersion;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Refuses with 400 a WebSocket handshake that did not come over HTTP/1.1 (RFC 6455 asks for it):
 * Vert.x cannot turn an HTTP/2 stream into a WebSocket, and websockets-next, once the checks let
 * such a request through, never answers it, so an h2c client's handshake hung for as long as it
 * waited. Browsers open WebSockets over HTTP/1.1; this only meets other clients.
 */
@ApplicationScoped
@Priority(OriginCheck.PRIORITY + 100) // before every other check: nothing else is worth doing
class Http11Only implements HttpUpgradeCheck {
  private static final Uni<CheckResult> PERMIT = CheckResult.permitUpgrade();
  private static final Uni<CheckResult> REFUSE = CheckResult.rejectUpgrade(400);

  @Override
  public Uni<CheckResult> perform(HttpUpgradeContext context) {
    return context.httpRequest().version() == HttpVersion.HTTP_1_1 ? PERMIT : REFUSE;
  }
}
