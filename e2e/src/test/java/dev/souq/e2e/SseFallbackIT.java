package dev.souq.e2e;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.openqa.selenium.support.ui.ExpectedConditions.attributeToBe;
import static org.openqa.selenium.support.ui.ExpectedConditions.textToBe;
import static org.openqa.selenium.support.ui.ExpectedConditions.textToBePresentInElementLocated;

import dev.souq.devstack.Component;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;

/**
 * A shopper behind a proxy that refuses WebSocket upgrades (the test's second gateway, answering
 * them 403): the page goes live over Server-Sent Events by itself, says so, resumes across a
 * restart of the notification-service, and moves back to WebSocket once upgrades get through.
 */
@ExtendWith(RunningSouq.class)
class SseFallbackIT {
  private static final By LIVE = By.id("live");

  private static SouqSystem system;

  @BeforeAll
  static void useTheRunningShop(SouqSystem running) {
    system = running;
  }

  @AfterEach
  void letWebSocketsThroughAgain() {
    system.proxyRefusesWebSockets(false);
  }

  @Test
  void behindAProxyThatRefusesWebSocketsThePageGoesLiveOverSseAndResumesAcrossARestart()
      throws Exception {
    system.proxyRefusesWebSockets(true);
    try (Browser browser = new Browser(1280, 900)) {
      browser.open(system.urlThroughProxy() + "/");
      browser.waitFor(attributeToBe(LIVE, "data-transport", "sse"), 30);
      browser.waitFor(attributeToBe(LIVE, "data-state", "live"), 10);
      browser.waitFor(textToBe(By.id("live-text"), "Live (SSE)"), 10);

      long id = ShopPage.placeOrder(browser);
      By status = ShopPage.status(id);
      browser.waitFor(textToBePresentInElementLocated(status, "PAID"), 60);
      system.changeStatus(id, "SHIPPED");
      browser.waitFor(textToBePresentInElementLocated(status, "SHIPPED"), 30);
      browser.screenshot("10-live-over-sse");

      system.kill(Component.NOTIFICATION);
      browser.waitFor(attributeToBe(LIVE, "data-state", "reconnecting"), 30);
      system.changeStatus(id, "DELIVERED");
      system.restart(Component.NOTIFICATION);
      browser.waitFor(attributeToBe(LIVE, "data-state", "live"), 60);
      assertEquals("sse", browser.find(LIVE).getAttribute("data-transport"));
      // Sent while no stream was open: it comes from the resume with Last-Event-ID.
      browser.waitFor(textToBePresentInElementLocated(status, "DELIVERED"), 30);

      // The restarted service replayed what the page missed; it never had to tell it to reload.
      String metrics =
          given()
              .baseUri(system.management(Component.NOTIFICATION).toString())
              .get("/q/metrics")
              .asString();
      assertTrue(metrics.contains("souq_ws_resumes_total{outcome=\"resumed\"} 1.0"), metrics);
      assertTrue(metrics.contains("souq_ws_resumes_total{outcome=\"reload\"} 0.0"), metrics);

      String timeline = browser.text(ShopPage.timeline(id));
      assertTrue(timeline.indexOf("PAID") < timeline.indexOf("SHIPPED"), timeline);
      assertTrue(timeline.indexOf("SHIPPED") < timeline.indexOf("DELIVERED"), timeline);
      assertEquals(1, timeline.split("DELIVERED", -1).length - 1, "shown once: " + timeline);
    }
  }

  @Test
  void whenWebSocketsGetThroughAgainThePageMovesBackToThem() throws Exception {
    system.proxyRefusesWebSockets(true);
    try (Browser browser = new Browser(1280, 900)) {
      browser.open(system.urlThroughProxy() + "/");
      browser.waitFor(attributeToBe(LIVE, "data-transport", "sse"), 30);
      browser.waitFor(attributeToBe(LIVE, "data-state", "live"), 10);

      system.proxyRefusesWebSockets(false);
      // The page tries WebSocket 10 s after SSE opened, then less and less often.
      browser.waitFor(attributeToBe(LIVE, "data-transport", "ws"), 40);
      browser.waitFor(attributeToBe(LIVE, "data-state", "live"), 10);
      browser.waitFor(textToBe(By.id("live-text"), "Live"), 10);

      long id = ShopPage.placeOrder(browser);
      browser.waitFor(textToBePresentInElementLocated(ShopPage.status(id), "PAID"), 60);
    }
  }
}
