package io.sparkzero.driver.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Opens a training report in a real headless Chromium with every network route closed, and
 * checks that it loads without a script error and that every chart drew its data as SVG.
 */
class TrainingReportBrowserIT {

  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

  /** An axis, a grid and one series already take more; a blank chart has none. */
  private static final long MIN_PATHS_PER_CHART = 5;

  private static ChromeDriver browser;

  @BeforeAll
  static void startBrowser() {
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

  @AfterAll
  static void stopBrowser() {
    if (browser != null) {
      browser.quit();
    }
  }

  @Test
  void everyChartDrawsItsDataOfflineWithoutErrors(@TempDir Path dir) throws Exception {
    Path metrics = dir.resolve("metrics.jsonl");
    Files.writeString(metrics, MetricsFixture.text(MetricsFixture.lines(true)));
    Path page = dir.resolve("report.html");
    TrainingReportPage.write(new Configuration(), metrics.toString(), page.toUri().toString());
    assertDrawsOffline(page, List.of("loss-per-step", "loss-accuracy-per-epoch", "learning-rate",
        "throughput-per-step", "throughput-per-epoch", "step-time-per-epoch", "memory-per-rank",
        "skipped-steps-per-epoch", "loss-scale"));
  }

  /**
   * The report a real training run writes ({@code output.report}, on embedded Spark local[2]),
   * rewritten after each epoch and at the end: every chart with data draws offline. An fp32 run
   * skips no steps, so the page shows notes in place of the skipped-step charts.
   */
  @Test
  void theReportATrainingRunWritesDrawsOfflineWithoutErrors(@TempDir Path dir) throws Exception {
    Path page = dir.resolve("out").resolve("report.html");
    java.util.Map<String, Object> job = new java.util.LinkedHashMap<>();
    job.put("model", "mlp");
    job.put("data.train", "synthetic:n=2048,features=784,classes=10,seed=3");
    job.put("data.test", "synthetic:n=512,features=784,classes=10,seed=3,start=2048");
    job.put("eval.every-epoch", true);
    job.put("train.batch-size", 32);
    job.put("train.epochs", 2);
    job.put("spark.master", "local[2]");
    job.put("collective.ipc-term-bytes", 4 << 20);
    job.put("output.report", page.toUri().toString());
    job.put("spark-conf.spark.ui.enabled", "false");
    io.sparkzero.driver.options.JobConfig config = io.sparkzero.driver.options.JobConfig.of(job);
    try (org.apache.spark.sql.SparkSession spark =
        io.sparkzero.driver.train.SparkSessions.create(config)) {
      io.sparkzero.driver.train.TrainingJob.checked(config,
          new java.io.PrintStream(java.io.OutputStream.nullOutputStream())).run(spark);
    }
    assertThat(Files.readString(page)).contains("<dt>status</dt><dd>ok</dd>");
    assertDrawsOffline(page, List.of("loss-per-step", "loss-accuracy-per-epoch", "learning-rate",
        "throughput-per-step", "throughput-per-epoch", "step-time-per-epoch", "memory-per-rank"));
  }

  /** Loads the page with the network closed: no errors, each chart drawn with data, no fetches. */
  private static void assertDrawsOffline(Path page, List<String> kinds) {
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
