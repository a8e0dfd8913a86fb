package io.sparkzero.driver.report;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sparkzero.report.Downsampled;
import io.sparkzero.report.HtmlReport;
import io.sparkzero.report.LineChart;
import io.sparkzero.report.Section;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;

/** Loss per step and per epoch, test accuracy per epoch, and the learning rate per step. */
final class ProgressSection {

  private ProgressSection() {}

  static void add(HtmlReport page, TrainingMetrics m, StepSeries steps) {
    Section s = page.section("Loss, accuracy and learning rate");
    s.note(steps.description());
    Downsampled loss = steps.field("loss");
    LineChart perStep = new LineChart("loss-per-step", "Training loss per step", "global step",
        loss.x()).leftAxis("loss", false).left("loss", loss.mean());
    if (loss.merged()) {
      perStep.thin("bucket min", loss.min()).thin("bucket max", loss.max());
    }
    s.chartOr(perStep, "No step was logged yet.");
    s.chartOr(perEpoch(m), "No epoch has ended yet, and nothing was evaluated.");
    Downsampled lr = steps.field("lr");
    s.chartOr(new LineChart("learning-rate", "Learning rate per step", "global step", lr.x())
        .leftAxis("learning rate", false).left("learning rate", lr.mean()),
        "No learning rate was logged.");
  }

  /** Mean loss per epoch on the left, test accuracy (in %) per epoch on the right. */
  private static LineChart perEpoch(TrainingMetrics m) {
    TreeMap<Long, double[]> rows = new TreeMap<>();
    for (ObjectNode e : m.epochs()) {
      rows.computeIfAbsent(e.path("epoch").asLong(), k -> nan2())[0] = Fields.number(e, "loss");
    }
    for (ObjectNode e : m.evals()) {
      if (e.has("epoch")) {
        rows.computeIfAbsent(e.path("epoch").asLong(), k -> nan2())[1] =
            Fields.number(e, "accuracy") * 100;
      }
    }
    double[] x = rows.keySet().stream().mapToDouble(Long::doubleValue).toArray();
    List<double[]> values = List.copyOf(rows.values());
    double[] loss = values.stream().mapToDouble(v -> v[0]).toArray();
    double[] accuracy = values.stream().mapToDouble(v -> v[1]).toArray();
    LineChart chart = new LineChart("loss-accuracy-per-epoch",
        "Mean training loss and test accuracy per epoch", "epoch", x).integerX()
        .leftAxis("loss", false).rightAxis("test accuracy (%)").left("mean loss", loss);
    return Arrays.stream(accuracy).anyMatch(Double::isFinite)
        ? chart.right("test accuracy (%)", accuracy) : chart;
  }

  private static double[] nan2() {
    return new double[] {Double.NaN, Double.NaN};
  }
}
