package io.sparkzero.driver.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A headless Chromium with every network route closed, for the report pages' browser tests
 * (register it as a static {@code @RegisterExtension}): started before a test class, quit after
 * it; the class is skipped where Debian's chromium and chromium-driver are not installed.
 */
public final class OfflineBrowser implements BeforeAllCallback, AfterAllCallback {

  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

  /** An axis, a grid and one series already take more; a blank chart has none. */
  private static final long MIN_PATHS_PER_CHART = 5;

  private ChromeDriver browser;

  @Override
  public void beforeAll(ExtensionContext context) {
    assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
        "the report's browser test needs Debian's chromium and chromium-driver (/usr/bin/chromium,"
            + " /usr/bin/chromedriver; .ci/run installs them): apt-get install chromium"
            + " chromium-driver");
    // Selenium Manager would look for, or download, a browser and driver; both are given here.
    System.setProperty("SE_OFFLINE", "true");
    ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile());
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu",
        "--disable-dev-shm-usage", "--window-size=1280,1600",
        // No network: names do not resolve and any connection goes to a closed port.
        "--host-resolver-rules=MAP * ~NOTFOUND", "--proxy-server=127.0.0.1:9");
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
    browser = new ChromeDriver(service, options);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (browser != null) {
      browser.quit();
    }
  }

  /** Runs {@code script} (a function body that may {@code return}) in the page loaded last. */
  public Object script(String script) {
    return ((JavascriptExecutor) browser).executeScript(script);
  }

  /** Loads the page with the network closed: no errors, each chart drawn with data, no fetches. */
  public void assertDrawsOffline(Path page, List<String> kinds) {
    browser.get(page.toUri().toString());
    JavascriptExecutor js = browser;
    new WebDriverWait(browser, Duration.ofSeconds(30)).until(b -> "complete".equals(
        js.executeScript("return document.readyState")));

    assertThat(js.executeScript("return window.__reportErrors")).asList().isEmpty();
    List<LogEntry> severe = browser.manage().logs().get(LogType.BROWSER).getAll().stream()
        .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue()).toList();
    assertThat(severe).as("browser console errors").isEmpty();

    @SuppressWarnings("unchecked")
    List<Map<String, Object>> charts = (List<Map<String, Object>>) js.executeScript("""
        return Array.from(document.querySelectorAll('[data-chart]')).map(function (el) {
          var chart = echarts.getInstanceByDom(el);
          var series = chart ? chart.getOption().series : [];
          return { kind: el.getAttribute('data-chart'), svgs: el.querySelectorAll('svg').length,
                   paths: el.querySelectorAll('svg path').length,
                   points: series.map(function (s) { return s.data.length; }) };
        });""");
    assertThat(charts).extracting(c -> c.get("kind")).containsAll(kinds);
    for (Map<String, Object> chart : charts) {
      assertThat(chart.get("svgs")).as("svg of %s", chart.get("kind")).isEqualTo(1L);
      assertThat((Long) chart.get("paths")).as("paths drawn in %s", chart.get("kind"))
          .isGreaterThanOrEqualTo(MIN_PATHS_PER_CHART);
      assertThat((List<?>) chart.get("points")).as("series of %s", chart.get("kind")).isNotEmpty()
          .allSatisfy(n -> assertThat((Long) n).isPositive());
    }

    // Nothing outside the file: no resource was fetched, and no element points elsewhere.
    assertThat(js.executeScript("return performance.getEntriesByType('resource').length"))
        .isEqualTo(0L);
    assertThat(js.executeScript("""
        return Array.from(document.querySelectorAll('[src],[href]'))
          .map(function (e) { return e.getAttribute('src') || e.getAttribute('href'); })
          .filter(function (u) { return /^\\s*(https?:)?\\/\\//i.test(u); });""")).asList()
        .isEmpty();
  }
}
