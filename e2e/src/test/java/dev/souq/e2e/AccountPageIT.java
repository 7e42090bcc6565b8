package dev.souq.e2e;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.openqa.selenium.support.ui.ExpectedConditions.attributeToBe;
import static org.openqa.selenium.support.ui.ExpectedConditions.elementToBeClickable;
import static org.openqa.selenium.support.ui.ExpectedConditions.invisibilityOfElementLocated;
import static org.openqa.selenium.support.ui.ExpectedConditions.numberOfElementsToBe;
import static org.openqa.selenium.support.ui.ExpectedConditions.numberOfElementsToBeMoreThan;
import static org.openqa.selenium.support.ui.ExpectedConditions.textToBe;
import static org.openqa.selenium.support.ui.ExpectedConditions.textToBePresentInElementLocated;
import static org.openqa.selenium.support.ui.ExpectedConditions.visibilityOfElementLocated;

import io.restassured.http.ContentType;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;

/**
 * A guest with a cart creates an account on the page and keeps the cart; sees their sessions, signs
 * out another device from the page, and is signed out live when another device signs out everywhere
 * else.
 */
@ExtendWith(RunningSouq.class)
class AccountPageIT {
  private static final String PASSWORD = "correct horse battery";
  private static final By SESSIONS = By.cssSelector("#session-list li");
  private static final By BODY = By.tagName("body");

  private static SouqSystem system;

  @BeforeAll
  static void useTheRunningShop(SouqSystem running) {
    system = running;
  }

  @Test
  void aGuestSignsUpKeepsTheCartAndControlsTheAccountsSessions() throws Exception {
    String email = "page-" + UUID.randomUUID() + "@example.com";
    try (Browser browser = new Browser(1280, 900)) {
      browser.open(system.url() + "/");
      browser.waitFor(attributeToBe(By.id("live"), "data-state", "live"), 30);
      browser.waitFor(attributeToBe(BODY, "data-account", "guest"), 10);
      browser
          .waitFor(elementToBeClickable(By.cssSelector("#products .product button")), 30)
          .click();
      browser.waitFor(numberOfElementsToBe(By.cssSelector("#cart-items li"), 1), 10);

      browser.find(By.id("account-email")).sendKeys(email);
      browser.find(By.id("account-password")).sendKeys(PASSWORD);
      browser.find(By.id("sign-up")).click();
      browser.waitFor(attributeToBe(BODY, "data-account", "signed-in"), 20);
      browser.waitFor(textToBe(By.id("account-name"), email), 5);
      browser.waitFor(invisibilityOfElementLocated(By.id("sign-in-form")), 5);
      // The guest's cart is the account's now, and the page is live again on its new session.
      browser.waitFor(numberOfElementsToBe(By.cssSelector("#cart-items li"), 1), 10);
      browser.waitFor(attributeToBe(By.id("live"), "data-state", "live"), 30);
      browser.waitFor(numberOfElementsToBe(SESSIONS, 1), 10);
      assertEquals("This device", browser.text(By.cssSelector("#session-list .this")));

      // Another device signs in; the page, opened again, lists it and signs it out.
      String other = signIn(email, "OtherDevice/2.0");
      browser.open(system.url() + "/");
      browser.waitFor(numberOfElementsToBe(SESSIONS, 2), 20);
      browser.screenshot("account-sessions");
      browser.waitFor(elementToBeClickable(By.id("end-others")), 10).click();
      browser.waitFor(numberOfElementsToBe(SESSIONS, 1), 10);
      shop().cookie("SOUQ_SESSION", other).get("/api/cart").then().statusCode(401);

      // A third device signs out everywhere else: this page hears it live and is a guest again.
      browser.waitFor(attributeToBe(By.id("live"), "data-state", "live"), 30);
      String third = signIn(email, "ThirdDevice/3.0");
      shop()
          .cookie("SOUQ_SESSION", third)
          .queryParam("others", "true")
          .delete("/api/sessions")
          .then()
          .statusCode(204);
      browser.waitFor(attributeToBe(BODY, "data-account", "guest"), 20);
      browser.waitFor(visibilityOfElementLocated(By.id("sign-in-form")), 5);
      browser.waitFor(invisibilityOfElementLocated(By.id("signed-in")), 5);
      browser.waitFor(textToBePresentInElementLocated(By.id("notice"), "You were signed out"), 10);
      browser.waitFor(attributeToBe(By.id("live"), "data-state", "live"), 30);
      browser.waitFor(numberOfElementsToBeMoreThan(By.cssSelector("#products .product"), 0), 10);
    }
  }

  private static io.restassured.specification.RequestSpecification shop() {
    return given().baseUri(system.url());
  }

  private static String signIn(String email, String userAgent) {
    return shop()
        .header("User-Agent", userAgent)
        .contentType(ContentType.JSON)
        .body(Map.of("email", email, "password", PASSWORD))
        .post("/api/accounts/sign-in")
        .then()
        .statusCode(200)
        .extract()
        .cookie("SOUQ_SESSION");
  }
}
