package io.sparkzero.driver.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opens a training report in a real headless Chromium with every network route closed, and
 * checks that it loads without a script error and that every chart drew its data as SVG.
 */
class TrainingReportBrowserIT {

  @RegisterExtension
  static final OfflineBrowser BROWSER = new OfflineBrowser();

  @Test
  void everyChartDrawsItsDataOfflineWithoutErrors(@TempDir Path dir) throws Exception {
    Path metrics = dir.resolve("metrics.jsonl");
    Files.writeString(metrics, MetricsFixture.text(MetricsFixture.lines(true)));
    Path page = dir.resolve("report.html");
    TrainingReportPage.write(new Configuration(), metrics.toString(), page.toUri().toString());
    BROWSER.assertDrawsOffline(page,
        List.of("loss-per-step", "loss-accuracy-per-epoch", "learning-rate",
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
    BROWSER.assertDrawsOffline(page,
        List.of("loss-per-step", "loss-accuracy-per-epoch", "learning-rate",
        "throughput-per-step", "throughput-per-epoch", "step-time-per-epoch", "memory-per-rank"));
  }
}
