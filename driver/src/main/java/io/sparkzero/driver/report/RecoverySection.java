package io.sparkzero.driver.report;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sparkzero.report.BarChart;
import io.sparkzero.report.Downsampled;
import io.sparkzero.report.HtmlReport;
import io.sparkzero.report.LineChart;
import io.sparkzero.report.Section;
import io.sparkzero.report.Table;
import java.util.List;

/** Epochs relaunched from a checkpoint, and steps skipped for an inf/NaN gradient. */
final class RecoverySection {

  /** Skipped steps listed one by one at most; a run that skips more has a different problem. */
  private static final int MAX_SKIPPED_ROWS = 200;

  private RecoverySection() {}

  static void add(HtmlReport page, TrainingMetrics m, StepSeries steps) {
    Section s = page.section("Recoveries and skipped steps");
    if (m.recoveries().isEmpty()) {
      s.text("Recoveries: none. Every epoch ran in one attempt.");
    } else {
      Table table = new Table("Recoveries", "epoch", "restored global step",
          "seconds to resume", "reason");
      for (ObjectNode r : m.recoveries()) {
        table.row(Fields.text(r, "epoch", ""), Fields.text(r, "from_step", ""),
            Fields.format(Fields.number(r, "seconds_to_resume")), Fields.text(r, "reason", ""));
      }
      s.add(table);
    }
    List<ObjectNode> skipped = m.steps().stream()
        .filter(st -> st.path("skipped").asBoolean(false)).toList();
    double[] perEpoch = Fields.column(m.epochs(), "skipped_steps");
    double total = 0;
    for (double v : perEpoch) {
      total += Double.isNaN(v) ? 0 : v;
    }
    if (skipped.isEmpty() && total == 0) {
      s.text("Skipped steps: none. No step had an inf or NaN gradient.");
      return;
    }
    List<String> labels = m.epochs().stream().map(e -> "epoch " + e.path("epoch").asText())
        .toList();
    s.chartOr(new BarChart("skipped-steps-per-epoch", "Steps skipped per epoch", labels, false)
        .axes("epoch", "steps").series("skipped", perEpoch), "No epoch has ended yet.");
    Downsampled scale = steps.field("loss_scale");
    s.chartOr(new LineChart("loss-scale", "Loss scale after each step (log scale)",
        "global step", scale.x()).leftAxis("loss scale", true).left("loss scale", scale.mean()),
        "No loss scale was logged.");
    Table table = new Table("Skipped steps", "global step", "epoch", "step", "loss scale after");
    for (ObjectNode st : skipped.subList(0, Math.min(skipped.size(), MAX_SKIPPED_ROWS))) {
      table.row(Fields.text(st, "global_step", ""), Fields.text(st, "epoch", ""),
          Fields.text(st, "step", ""), Fields.format(Fields.number(st, "loss_scale")));
    }
    s.add(table);
    if (skipped.size() > MAX_SKIPPED_ROWS) {
      s.note("The first " + MAX_SKIPPED_ROWS + " of " + skipped.size() + " skipped steps.");
    }
  }
}
