package dev.souq.e2e;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.openqa.selenium.support.ui.ExpectedConditions.attributeToBe;
import static org.openqa.selenium.support.ui.ExpectedConditions.elementToBeClickable;
import static org.openqa.selenium.support.ui.ExpectedConditions.invisibilityOfElementLocated;
import static org.openqa.selenium.support.ui.ExpectedConditions.numberOfElementsToBe;
import static org.openqa.selenium.support.ui.ExpectedConditions.numberOfElementsToBeMoreThan;
import static org.openqa.selenium.support.ui.ExpectedConditions.presenceOfElementLocated;
import static org.openqa.selenium.support.ui.ExpectedConditions.stalenessOf;
import static org.openqa.selenium.support.ui.ExpectedConditions.textToBePresentInElementLocated;
import static org.openqa.selenium.support.ui.ExpectedConditions.visibilityOfElementLocated;

import dev.souq.devstack.Component;
import dev.souq.testing.CatalogProducts;
import dev.souq.testing.Tokens;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * A shopper in headless Chromium: adds a product, places the order and watches it go PAID and
 * SHIPPED live; the notification-service dies and comes back, and the page reconnects and shows
 * what happened meanwhile.
 */
@ExtendWith(RunningSouq.class)
class BrowserFlowIT {
  private static SouqSystem system;

  @BeforeAll
  static void useTheRunningShop(SouqSystem running) {
    system = running;
  }

  @Test
  void aShopperSeesTheirOrderMoveLiveAcrossARestartOfTheNotificationService() throws Exception {
    try (Browser browser = new Browser(1280, 900)) {
      browser.open(system.url() + "/");
      browser.waitFor(numberOfElementsToBeMoreThan(By.cssSelector("#products .product"), 0), 30);
      browser.waitFor(attributeToBe(By.id("live"), "data-state", "live"), 30);
      browser.screenshot("1-catalog");

      browser
          .waitFor(elementToBeClickable(By.cssSelector("#products .product button")), 10)
          .click();
      browser.waitFor(numberOfElementsToBeMoreThan(By.cssSelector("#cart-items li"), 0), 10);
      browser.screenshot("2-cart");

      browser.waitFor(elementToBeClickable(By.id("place-order")), 10).click();
      By order = By.cssSelector("#order-list .order");
      browser.waitFor(presenceOfElementLocated(order), 20);
      long id = Long.parseLong(browser.find(order).getAttribute("data-order"));
      By status = By.cssSelector("[data-order=\"" + id + "\"] .status");

      // The worker's process_payment moves it to PAID; the page shows it without a reload.
      browser.waitFor(textToBePresentInElementLocated(status, "PAID"), 60);
      browser.screenshot("3-paid");

      system.changeStatus(id, "SHIPPED");
      browser.waitFor(textToBePresentInElementLocated(status, "SHIPPED"), 30);
      browser.screenshot("4-shipped");

      system.kill(Component.NOTIFICATION);
      browser.waitFor(attributeToBe(By.id("live"), "data-state", "reconnecting"), 30);
      browser.screenshot("5-reconnecting");
      system.changeStatus(id, "DELIVERED");
      system.restart(Component.NOTIFICATION);
      browser.waitFor(attributeToBe(By.id("live"), "data-state", "live"), 60);
      browser.waitFor(textToBePresentInElementLocated(status, "DELIVERED"), 30);
      browser.screenshot("6-delivered-after-reconnect");

      String timeline = browser.text(By.cssSelector("[data-order=\"" + id + "\"] .timeline"));
      assertTrue(timeline.indexOf("PAID") < timeline.indexOf("SHIPPED"), timeline);
      assertTrue(timeline.indexOf("SHIPPED") < timeline.indexOf("DELIVERED"), timeline);
      assertEquals(1, timeline.split("DELIVERED", -1).length - 1, "shown once: " + timeline);
    }
  }

  @Test
  void aCartOfProductsTheCatalogPageDoesNotShowStillNamesThemAndTotalsThem() throws Exception {
    try (Browser browser = new Browser(1280, 900)) {
      browser.open(system.url() + "/");
      browser.waitFor(attributeToBe(By.id("live"), "data-state", "live"), 30);
      String session = browser.driver().manage().getCookieNamed("SOUQ_SESSION").getValue();
      // Product 20 is on the catalog's second page, which a page opened afresh does not show (a
      // cart brought along at sign-in is the same).
      system.fillCart(session, 20, 2);
      JsonPath product =
          new JsonPath(given().baseUri(system.url()).get("/api/products/20").asString());
      String total =
          String.format(
              java.util.Locale.ROOT,
              "%.2f %s",
              product.getLong("price_cents") * 2 / 100.0,
              product.getString("currency"));

      browser.open(system.url() + "/");
      browser.waitFor(
          textToBePresentInElementLocated(By.id("cart-items"), "2 × " + product.getString("name")),
          30);
      assertEquals(total, browser.text(By.id("cart-total")));
    }
  }

  @Test
  void theCategoryListNamesACategoryWhoseProductsComeAfterTheFirstHundred() throws Exception {
    String category = "late-" + System.nanoTime();
    List<Long> made = new java.util.ArrayList<>();
    try {
      int total = given().baseUri(system.url()).get("/api/products?size=1").path("total");
      for (int i = total; i < 100; i++) {
        made.add(CatalogProducts.createIn(system.url(), "books"));
      }
      made.add(CatalogProducts.createIn(system.url(), category));

      try (Browser browser = new Browser(1280, 900)) {
        browser.open(system.url() + "/");
        browser.waitFor(
            presenceOfElementLocated(By.cssSelector("#category option[value='" + category + "']")),
            30);
      }
    } finally {
      made.forEach(BrowserFlowIT::deleteProduct);
    }
  }

  @Test
  void aShopperWithMoreOrdersThanAPageShowsTheOlderOnesBelowTheNewest() throws Exception {
    By orders = By.cssSelector("#order-list > li");
    long product = CatalogProducts.create(system.url(), 100, 51);
    try (Browser browser = new Browser(1280, 900)) {
      browser.open(system.url() + "/");
      browser.waitFor(attributeToBe(By.id("live"), "data-state", "live"), 30);
      String session = browser.driver().manage().getCookieNamed("SOUQ_SESSION").getValue();
      List<Long> placed = new java.util.ArrayList<>();
      for (int i = 0; i < 51; i++) {
        placed.add(system.placeOrderOf(session, product));
      }
      // Paid before the page reads them: no update of the worker's comes while it does.
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  java.util.stream.Stream.of("", "?before=" + placed.get(1))
                      .flatMap(
                          page ->
                              given()
                                  .baseUri(system.url())
                                  .cookie("SOUQ_SESSION", session)
                                  .get("/api/orders" + page)
                                  .jsonPath()
                                  .getList("status", String.class)
                                  .stream())
                      .allMatch("PAID"::equals));
      browser.open(system.url() + "/");
      browser.waitFor(attributeToBe(By.id("live"), "data-state", "live"), 30);
      browser.waitFor(numberOfElementsToBe(orders, 50), 30);
      WebElement oldestShown = browser.driver().findElements(orders).get(49);
      assertEquals(String.valueOf(placed.get(1)), oldestShown.getDomAttribute("data-order"));

      // An update of an order on the page not opened yet neither shows it on top nor reloads the
      // list; the update after it, of a shown order, is applied in place.
      system.changeStatus(placed.get(0), "SHIPPED");
      system.changeStatus(placed.get(1), "SHIPPED");
      browser.waitFor(
          ExpectedConditions.textToBePresentInElement(
              oldestShown.findElement(By.cssSelector(".status")), "SHIPPED"),
          30);
      assertEquals(50, browser.driver().findElements(orders).size());

      browser.waitFor(elementToBeClickable(By.id("older-orders")), 10).click();
      browser.waitFor(numberOfElementsToBe(orders, 51), 30);
      WebElement oldest = browser.driver().findElements(orders).get(50);
      assertEquals(String.valueOf(placed.get(0)), oldest.getDomAttribute("data-order"));
      assertEquals("SHIPPED", oldest.findElement(By.cssSelector(".status")).getText());
      browser.waitFor(invisibilityOfElementLocated(By.id("older-orders")), 10);
    } finally {
      deleteProduct(product);
    }
  }

  /** The operator deletes a product a test made, through the gateway. */
  private static void deleteProduct(long id) {
    given()
        .baseUri(system.url())
        .header("Authorization", Tokens.ADMIN_BEARER)
        .delete("/api/products/" + id)
        .then()
        .statusCode(204);
  }

  @Test
  void aPageThatHeardNoUpdateYetMissesNoneAcrossARestartOfTheNotificationService()
      throws Exception {
    try (Browser browser = new Browser(1280, 900)) {
      browser.open(system.url() + "/");
      browser.waitFor(attributeToBe(By.id("live"), "data-state", "live"), 30);
      String session = browser.driver().manage().getCookieNamed("SOUQ_SESSION").getValue();
      // Placed and paid while the page is away, so it comes back to it with no offset heard.
      browser.open("about:blank");
      long id = system.placePaidOrder(session, 1);
      browser.open(system.url() + "/");
      By status = By.cssSelector("[data-order=\"" + id + "\"] .status");
      browser.waitFor(textToBePresentInElementLocated(status, "PAID"), 30);
      browser.waitFor(attributeToBe(By.id("live"), "data-state", "live"), 30);

      // Shipped while the page reconnects: with no offset it resumes nothing, so it reads again.
      system.kill(Component.NOTIFICATION);
      browser.waitFor(attributeToBe(By.id("live"), "data-state", "reconnecting"), 30);
      system.changeStatus(id, "SHIPPED");
      system.restart(Component.NOTIFICATION);
      browser.waitFor(attributeToBe(By.id("live"), "data-state", "live"), 60);
      browser.waitFor(textToBePresentInElementLocated(status, "SHIPPED"), 30);
    }
  }

  @Test
  void aShopperCancelsAPendingOrderAndThePaymentThatComesLaterLeavesItCancelled() throws Exception {
    long paymentsBefore = payments();
    system.stop(Component.WORKER); // nothing pays the order while the shopper changes their mind
    long id;
    try (Browser browser = new Browser(1280, 900)) {
      browser.open(system.url() + "/");
      browser.waitFor(attributeToBe(By.id("live"), "data-state", "live"), 30);
      id = ShopPage.placeOrder(browser);
      By status = ShopPage.status(id);
      browser.waitFor(textToBePresentInElementLocated(status, "PENDING"), 20);

      browser
          .waitFor(
              elementToBeClickable(By.cssSelector("[data-order=\"" + id + "\"] button.cancel")), 10)
          .click();
      browser.waitFor(textToBePresentInElementLocated(status, "CANCELLED"), 20);
      // The timeline says who cancelled it, once, though the live stream brings the event too.
      browser.waitFor(
          textToBePresentInElementLocated(ShopPage.timeline(id), "CANCELLED, by you"), 10);
      browser.screenshot("9-cancelled");
      assertTrue(
          browser.findAll(By.cssSelector("[data-order=\"" + id + "\"] button.cancel")).isEmpty(),
          "a cancelled order still offers to cancel");
    } finally {
      system.start(Component.WORKER);
    }
    // The worker runs the order's payment job once it is back. Past ProcessPaymentHandler.FRESH
    // it reads the order and charges nothing; sooner, order-service refuses the move to PAID and
    // the charge is refunded. Either way the order stays cancelled.
    await().atMost(Duration.ofSeconds(60)).until(() -> payments() > paymentsBefore);
    JsonPath cancelled = operatorGet("/api/orders/" + id);
    assertEquals("CANCELLED", cancelled.getString("status"));
    assertEquals(List.of("PENDING", "CANCELLED"), cancelled.getList("history.status"));
  }

  @Test
  void thePageFitsAPhoneAndTheOperatorSeesTheQueue() throws Exception {
    // Served through the gateway with its security headers: the operator view below works under
    // them.
    given()
        .baseUri(system.url())
        .get("/")
        .then()
        .header("Content-Security-Policy", containsString("frame-ancestors 'none'"));
    try (Browser phone = new Browser(390, 844)) {
      phone.open(system.url() + "/");
      phone.waitFor(numberOfElementsToBeMoreThan(By.cssSelector("#products .product"), 0), 30);
      long overflow =
          ((Number) phone.script("return document.documentElement.scrollWidth - window.innerWidth"))
              .longValue();
      assertTrue(overflow <= 0, "the page scrolls sideways by " + overflow + " px");
      // Keyboard only: the operator view opens with Enter and the token form submits with Enter.
      phone.find(By.cssSelector("#operator summary")).sendKeys(Keys.ENTER);
      phone
          .waitFor(visibilityOfElementLocated(By.id("token")), 10)
          .sendKeys(Tokens.ADMIN, Keys.ENTER);
      phone.waitFor(visibilityOfElementLocated(By.id("operator-tools")), 20);
      phone.waitFor(
          presenceOfElementLocated(By.cssSelector("#task-stats [data-stat=\"processed\"]")), 20);
      // The schedules, each with a button that runs it now; its outcome shows on a refresh.
      phone
          .waitFor(
              presenceOfElementLocated(
                  By.cssSelector("#schedules [data-schedule=\"purge_dead_letters\"] button")),
              20)
          .click();
      phone.waitFor(
          textToBePresentInElementLocated(By.id("notice"), "purge_dead_letters queued"), 20);
      await()
          .atMost(Duration.ofSeconds(20))
          .ignoreExceptions() // the list is rebuilt under the finder on each refresh
          .until(
              () -> {
                phone.find(By.id("refresh-tasks")).click();
                return "succeeded"
                    .equals(
                        phone
                            .find(
                                By.cssSelector("#schedules [data-schedule=\"purge_dead_letters\"]"))
                            .getAttribute("data-outcome"));
              });
      phone.screenshot("7-phone-operator");
    }
  }

  @Test
  void theOperatorPausesAndResumesAQueueAndSeesTheJobTypesLimits() throws Exception {
    By bulk = By.cssSelector("#queues [data-queue=\"bulk\"]");
    By bulkButton = By.cssSelector("#queues [data-queue=\"bulk\"] button");
    try (Browser browser = new Browser(1280, 900)) {
      browser.open(system.url() + "/");
      browser.find(By.cssSelector("#operator summary")).click();
      browser.waitFor(visibilityOfElementLocated(By.id("token")), 10).sendKeys(Tokens.ADMIN);
      browser.find(By.cssSelector("#token-form button[type=\"submit\"]")).click();
      browser.waitFor(visibilityOfElementLocated(By.id("operator-tools")), 20);

      // The queues, highest weight first, none paused.
      browser.waitFor(presenceOfElementLocated(bulk), 20);
      assertEquals(
          List.of("critical", "default", "bulk"),
          browser.findAll(By.cssSelector("#queues li")).stream()
              .map(item -> item.getAttribute("data-queue"))
              .toList());
      assertEquals("false", browser.find(bulk).getAttribute("data-paused"));
      assertTrue(browser.text(bulk).contains("bulk · weight 1 · "), "bulk's line");

      // The job types with the shipped limit of process_payment.
      By payment = By.cssSelector("#job-types [data-type=\"process_payment\"]");
      browser.waitFor(attributeToBe(payment, "data-limit", "8"), 10);
      assertEquals("false", browser.find(payment).getAttribute("data-paused"));
      assertTrue(
          browser.text(payment).contains("process_payment · limit 8 · "), browser.text(payment));
      // And the shipped rate of confirmation mails.
      By mail = By.cssSelector("#job-types [data-type=\"send_order_confirmation\"]");
      browser.waitFor(attributeToBe(mail, "data-rate", "50"), 10);
      assertTrue(
          browser.text(mail).contains("send_order_confirmation · 50/s · "), browser.text(mail));

      browser.waitFor(elementToBeClickable(bulkButton), 10).click();
      browser.waitFor(attributeToBe(bulk, "data-paused", "true"), 20);
      browser.waitFor(textToBePresentInElementLocated(By.id("notice"), "bulk paused."), 10);
      assertEquals("Resume", browser.text(bulkButton));
      assertTrue(bulkPaused(), "the worker says bulk is not paused");
      // A refresh reads the worker again (the list is rebuilt) and still shows it paused.
      WebElement before = browser.find(bulk);
      browser.find(By.id("refresh-tasks")).click();
      browser.waitFor(stalenessOf(before), 20);
      browser.waitFor(attributeToBe(bulk, "data-paused", "true"), 20);
      browser.screenshot("10-operator-bulk-paused");

      browser.waitFor(elementToBeClickable(bulkButton), 10).click();
      browser.waitFor(attributeToBe(bulk, "data-paused", "false"), 20);
      browser.waitFor(textToBePresentInElementLocated(By.id("notice"), "bulk resumed."), 10);
      assertEquals("Pause", browser.text(bulkButton));
      assertFalse(bulkPaused(), "the worker says bulk is still paused");
    } finally {
      // A paused queue would stall the other tests of this shared system.
      given()
          .baseUri(system.url())
          .header("Authorization", Tokens.ADMIN_BEARER)
          .post("/api/tasks/queues/bulk/resume")
          .then()
          .statusCode(200);
    }
  }

  @Test
  void aServiceThatIsDownIsToldToTheShopperNotSwallowed() throws Exception {
    try (Browser browser = new Browser(1280, 900)) {
      browser.open(system.url() + "/");
      browser.waitFor(numberOfElementsToBeMoreThan(By.cssSelector("#products .product"), 0), 30);
      system.kill(Component.CATALOG);
      try {
        browser.find(By.id("next")).click();
        browser.waitFor(textToBePresentInElementLocated(By.id("notice"), "unavailable"), 20);
        browser.screenshot("8-catalog-down");
      } finally {
        system.restart(Component.CATALOG);
      }
      browser.find(By.id("next")).click();
      browser.waitFor(textToBePresentInElementLocated(By.id("page-info"), "Page 2"), 20);
    }
  }

  /** Payment jobs the workers have finished, as the queue's stats count them. */
  private static long payments() {
    Number processed = operatorGet("/api/tasks/stats").get("types.process_payment.processed");
    return processed == null ? 0 : processed.longValue(); // none yet: the type is not listed
  }

  /** Whether the worker (not the page) has the bulk queue paused. */
  private static boolean bulkPaused() {
    return operatorGet("/api/tasks/queues").getBoolean("queues.find { it.name == 'bulk' }.paused");
  }

  private static JsonPath operatorGet(String path) {
    return given()
        .baseUri(system.url())
        .header("Authorization", Tokens.ADMIN_BEARER)
        .get(path)
        .then()
        .statusCode(200)
        .extract()
        .jsonPath();
  }
}
