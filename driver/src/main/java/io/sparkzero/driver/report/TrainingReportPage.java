package io.sparkzero.driver.report;

import com.fasterxml.jackson.databind.JsonNode;
import io.sparkzero.report.HtmlReport;
import java.util.List;
import org.apache.hadoop.conf.Configuration;

/**
 * The training report: one self-contained HTML page made from a run's metrics file
 * (docs/METRICS.md), written by {@code spark-zero report} and, with {@code output.report}, by
 * the training job at its end.
 */
public final class TrainingReportPage {

  private TrainingReportPage() {}

  /**
   * Reads the metrics file at {@code metricsUri} and writes its report to {@code outUri}; both
   * are any Hadoop FileSystem URI or plain path.
   *
   * @throws MetricsFileException when the metrics file is missing or has a bad line
   * @throws java.io.UncheckedIOException when the report cannot be written
   */
  public static void write(Configuration conf, String metricsUri, String outUri) {
    write(conf, MetricsFile.read(conf, metricsUri), outUri);
  }

  /** Writes the report of already parsed metrics lines (JSON objects) to {@code outUri}. */
  public static void write(Configuration conf, List<? extends JsonNode> lines, String outUri) {
    ReportOutput.write(conf, outUri, render(lines));
  }

  /** The report page of metrics lines (JSON objects, in the order written) as HTML. */
  public static String render(List<? extends JsonNode> lines) {
    TrainingMetrics metrics = TrainingMetrics.of(lines);
    StepSeries steps = new StepSeries(metrics.steps());
    HtmlReport page = Headline.page(metrics, steps);
    ProgressSection.add(page, metrics, steps);
    ThroughputSection.add(page, metrics, steps);
    MemorySection.add(page, metrics);
    RunSection.add(page, metrics, steps);
    RecoverySection.add(page, metrics, steps);
    return page.render();
  }
}
