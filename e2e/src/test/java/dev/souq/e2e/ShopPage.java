package dev.souq.e2e;

import static org.openqa.selenium.support.ui.ExpectedConditions.elementToBeClickable;
import static org.openqa.selenium.support.ui.ExpectedConditions.numberOfElementsToBeMoreThan;
import static org.openqa.selenium.support.ui.ExpectedConditions.presenceOfElementLocated;

import org.openqa.selenium.By;

/** What a shopper does on the page, for the tests that then watch their order. */
final class ShopPage {
  private ShopPage() {}

  /** Puts the first product in the cart and places the order; its id. */
  static long placeOrder(Browser browser) {
    browser.waitFor(elementToBeClickable(By.cssSelector("#products .product button")), 30).click();
    browser.waitFor(numberOfElementsToBeMoreThan(By.cssSelector("#cart-items li"), 0), 10);
    browser.waitFor(elementToBeClickable(By.id("place-order")), 10).click();
    By order = By.cssSelector("#order-list .order");
    browser.waitFor(presenceOfElementLocated(order), 20);
    return Long.parseLong(browser.find(order).getAttribute("data-order"));
  }

  /** The status shown for the order. */
  static By status(long order) {
    return By.cssSelector("[data-order=\"" + order + "\"] .status");
  }

  /** The order's timeline. */
  static By timeline(long order) {
    return By.cssSelector("[data-order=\"" + order + "\"] .timeline");
  }
}
