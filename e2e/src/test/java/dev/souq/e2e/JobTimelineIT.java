package dev.souq.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.openqa.selenium.support.ui.ExpectedConditions.attributeToBe;
import static org.openqa.selenium.support.ui.ExpectedConditions.numberOfElementsToBe;
import static org.openqa.selenium.support.ui.ExpectedConditions.textToBePresentInElementLocated;

import dev.souq.devstack.Component;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * Why an order is still PENDING, on its timeline, live: the worker's simulated payment provider
 * declines (worker.shop.payment-declines) and each failed attempt shows with its next try, then
 * PAID; a payment given up shows as failed.
 */
@ExtendWith(RunningSouq.class)
class JobTimelineIT {
  private static SouqSystem system;

  @BeforeAll
  static void useTheRunningShop(SouqSystem running) {
    system = running;
  }

  @AfterEach
  void approvePaymentsAgain() throws Exception {
    system.restartWith(Component.WORKER, Map.of());
  }

  @Test
  void twoDeclinedPaymentAttemptsShowLiveThenPaid() throws Exception {
    system.restartWith(
        Component.WORKER,
        Map.of("WORKER_SHOP_PAYMENT_DECLINES", "2", "WORKER_BACKOFF_INITIAL", "1s"));
    try (Browser browser = new Browser(1280, 900)) {
      browser.open(system.url() + "/");
      browser.waitFor(attributeToBe(By.id("live"), "data-state", "live"), 30);
      long id = ShopPage.placeOrder(browser);
      By retries = jobSteps(id, "retrying");
      browser.waitFor(numberOfElementsToBe(retries, 2), 60);
      browser.waitFor(textToBePresentInElementLocated(ShopPage.status(id), "PAID"), 60);
      browser.screenshot("11-payment-retries");

      List<String> steps = texts(browser, By.cssSelector(timeline(id) + " li"));
      assertEquals("PENDING", steps.get(0).split(" ")[0], steps.toString());
      assertTrue(
          steps.get(1).startsWith("Payment attempt 1 failed, retrying at "), steps.toString());
      assertTrue(
          steps.get(2).startsWith("Payment attempt 2 failed, retrying at "), steps.toString());
      assertEquals("PAID", steps.get(3).split(" ")[0], steps.toString());
      assertEquals(4, steps.size(), steps.toString());
    }
  }

  @Test
  void aPaymentGivenUpShowsAsFailed() throws Exception {
    system.restartWith(
        Component.WORKER,
        Map.of(
            "WORKER_SHOP_PAYMENT_DECLINES", "5",
            "WORKER_MAX_ATTEMPTS", "2",
            "WORKER_BACKOFF_INITIAL", "1s"));
    try (Browser browser = new Browser(1280, 900)) {
      browser.open(system.url() + "/");
      browser.waitFor(attributeToBe(By.id("live"), "data-state", "live"), 30);
      long id = ShopPage.placeOrder(browser);
      browser.waitFor(numberOfElementsToBe(jobSteps(id, "failed"), 1), 60);
      // Reloaded, the page shows the same steps from the REST API.
      browser.open(system.url() + "/");
      browser.waitFor(numberOfElementsToBe(jobSteps(id, "failed"), 1), 30);
      List<String> steps = texts(browser, By.cssSelector(timeline(id) + " li"));
      assertTrue(
          steps.get(1).startsWith("Payment attempt 1 failed, retrying at "), steps.toString());
      assertTrue(steps.get(2).startsWith("Payment failed after 2 attempts"), steps.toString());
      assertEquals("PENDING", browser.text(ShopPage.status(id)));
    }
  }

  private static String timeline(long order) {
    return "[data-order=\"" + order + "\"] .timeline";
  }

  private static By jobSteps(long order, String outcome) {
    return By.cssSelector(timeline(order) + " li.job." + outcome);
  }

  private static List<String> texts(Browser browser, By by) {
    return browser.findAll(by).stream().map(WebElement::getText).toList();
  }
}
