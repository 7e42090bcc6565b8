package dev.souq.e2e;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedCondition;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's headless Chromium driven by its chromedriver (never a browser Selenium downloads), with
 * explicit waits and screenshots kept under target/screenshots.
 */
final class Browser implements AutoCloseable {
  private static final Path SCREENSHOTS = Path.of("target/screenshots");

  private final ChromeDriver driver;
  private final Path profile;

  Browser(int width, int height) throws IOException {
    profile = Files.createTempDirectory("souq-chromium");
    ChromeOptions options = new ChromeOptions();
    options.setBinary("/usr/bin/chromium");
    options.addArguments(
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--user-data-dir=" + profile,
        "--window-size=" + width + "," + height);
    options.setCapability("goog:loggingPrefs", java.util.Map.of("browser", "ALL"));
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(new File("/usr/bin/chromedriver"))
            .usingAnyFreePort()
            .build();
    driver = new ChromeDriver(service, options);
  }

  WebDriver driver() {
    return driver;
  }

  /** What the page wrote to its console (errors included), for failure messages. */
  String console() {
    StringBuilder out = new StringBuilder();
    for (var entry : driver.manage().logs().get("browser")) {
      out.append(entry.getLevel()).append(' ').append(entry.getMessage()).append('\n');
    }
    return out.toString();
  }

  /** Runs JavaScript in the page and returns its result. */
  Object script(String javascript) {
    return driver.executeScript(javascript);
  }

  void open(String url) {
    driver.get(url);
  }

  WebElement find(By by) {
    return driver.findElement(by);
  }

  /**
   * The text of what {@code by} finds now. Read in one go: an element the page rebuilt between
   * finding and reading it (a live update re-renders its order) is looked for again.
   */
  String text(By by) {
    return waitFor(page -> page.findElement(by).getText(), 10);
  }

  /** Every element that matches now; empty if none. */
  List<WebElement> findAll(By by) {
    return driver.findElements(by);
  }

  /**
   * Waits (never sleeps) until {@code condition} holds, at most {@code seconds}. An element the
   * page replaced between finding and reading it is looked for again: lists are rebuilt on each
   * refresh.
   */
  <T> T waitFor(ExpectedCondition<T> condition, int seconds) {
    try {
      return new WebDriverWait(driver, Duration.ofSeconds(seconds))
          .ignoring(StaleElementReferenceException.class)
          .until(condition);
    } catch (org.openqa.selenium.TimeoutException e) {
      try {
        screenshot("failed-" + System.currentTimeMillis());
      } catch (IOException ignored) {
        // the timeout is the failure worth reporting
      }
      String notice = driver.findElement(org.openqa.selenium.By.id("notice")).getText();
      throw new AssertionError(
          "Waited " + seconds + " s for " + condition + "; the page says: " + notice, e);
    }
  }

  /** Saves the page as target/screenshots/{name}.png, a build artifact. */
  void screenshot(String name) throws IOException {
    Files.createDirectories(SCREENSHOTS);
    File shot = driver.getScreenshotAs(OutputType.FILE);
    Files.copy(
        shot.toPath(), SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
  }

  @Override
  public void close() throws IOException {
    driver.quit();
    try (var files = Files.walk(profile)) {
      files.sorted(java.util.Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
    }
  }
}
