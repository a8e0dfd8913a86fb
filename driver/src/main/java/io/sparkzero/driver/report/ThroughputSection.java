package io.sparkzero.driver.report;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sparkzero.report.BarChart;
import io.sparkzero.report.Downsampled;
import io.sparkzero.report.HtmlReport;
import io.sparkzero.report.LineChart;
import io.sparkzero.report.Section;
import java.util.List;

/** Samples per second per step and per epoch, and where an epoch's step time went. */
final class ThroughputSection {

  /** The parts of rank 0's step time, as the {@code epoch} lines name them. */
  private static final List<String> PARTS =
      List.of("compute", "comm", "optimizer", "copy", "batch", "adv");

  private ThroughputSection() {}

  static void add(HtmlReport page, TrainingMetrics m, StepSeries steps) {
    Section s = page.section("Throughput and step time");
    Downsampled perStep = steps.field("samples_per_s");
    s.chartOr(new LineChart("throughput-per-step", "Throughput per step (all ranks)",
        "global step", perStep.x()).leftAxis("samples/s", false)
        .left("samples/s", perStep.mean()), "No step throughput was logged.");
    double[] epochs = Fields.column(m.epochs(), "epoch");
    s.chartOr(new LineChart("throughput-per-epoch", "Throughput per epoch", "epoch", epochs)
        .integerX().leftAxis("samples/s", false)
        .left("step loops", Fields.column(m.epochs(), "samples_per_s"))
        .left("whole stage", Fields.column(m.epochs(), "stage_samples_per_s")),
        "No epoch has ended yet.");
    s.note("Step loops: examples over the time the ranks spent in their step loops. Whole stage:"
        + " over the Spark stage's wall time as the driver timed it, start-up and saves included.");
    s.chartOr(breakdown(m.epochs()), "No step-time breakdown was logged.");
  }

  /** Rank 0's step time per epoch, stacked by part, in milliseconds per step. */
  private static BarChart breakdown(List<ObjectNode> epochs) {
    List<String> labels = epochs.stream().map(e -> "epoch " + e.path("epoch").asText()).toList();
    BarChart chart = new BarChart("step-time-per-epoch",
        "Step time on rank 0, mean per step, by part", labels, true).axes("epoch", "ms per step");
    for (String part : PARTS) {
      double[] perStep = new double[epochs.size()];
      for (int i = 0; i < perStep.length; i++) {
        // The epoch line sums each part over the epoch; per step is what compares across runs.
        perStep[i] = Fields.number(epochs.get(i), part + "_ms")
            / Fields.number(epochs.get(i), "steps");
      }
      chart.series(part, perStep);
    }
    return chart;
  }
}
