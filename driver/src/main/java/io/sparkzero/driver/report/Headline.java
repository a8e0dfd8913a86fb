package io.sparkzero.driver.report;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sparkzero.report.HtmlReport;
import java.util.ArrayList;
import java.util.List;

/** The page's title, subtitle and headline facts: status, final accuracy, wall time. */
final class Headline {

  private Headline() {}

  static HtmlReport page(TrainingMetrics m, StepSeries steps) {
    ObjectNode run = m.run();
    HtmlReport page = new HtmlReport("Training report: " + Fields.text(run, "job", "unnamed job"));
    List<String> parts = new ArrayList<>();
    parts.add("model " + Fields.text(run, "model", "not logged"));
    parts.add(Fields.text(run, "world_size", "?") + " ranks");
    parts.add("ZeRO stage " + Fields.text(run, "zero_stage", "?"));
    parts.add("started " + Fields.instant(Fields.number(run, "time_ms")));
    page.subtitle(String.join(" · ", parts));

    ObjectNode end = m.end();
    page.fact("status", end == null ? "running" : Fields.text(end, "status", "unknown"));
    page.fact("final test accuracy", finalAccuracy(m));
    page.fact("wall time", wallTime(m));
    page.fact("epochs done", end != null && end.has("epochs_done")
        ? end.path("epochs_done").asText() + " of " + Fields.text(run, "epochs", "?")
        : m.epochs().size() + " of " + Fields.text(run, "epochs", "?"));
    page.fact("steps", Integer.toString(steps.count()));
    page.fact("recoveries", Integer.toString(m.recoveries().size()));
    if (end != null && end.hasNonNull("error")) {
      page.notice("The run failed: " + end.path("error").asText());
    }
    return page;
  }

  private static String finalAccuracy(TrainingMetrics m) {
    double accuracy = Fields.number(m.end(), "test_accuracy");
    if (!Double.isNaN(accuracy)) {
      return Fields.percent(accuracy);
    }
    if (!m.evals().isEmpty()) {
      ObjectNode last = m.evals().get(m.evals().size() - 1);
      return Fields.percent(Fields.number(last, "accuracy")) + " (epoch "
          + Fields.text(last, "epoch", "?") + ")";
    }
    return "not evaluated";
  }

  private static String wallTime(TrainingMetrics m) {
    double wall = Fields.number(m.end(), "wall_s");
    if (!Double.isNaN(wall)) {
      return Fields.duration(wall);
    }
    double elapsedS = (m.lastTimeMs() - Fields.number(m.run(), "time_ms")) / 1000;
    return Double.isNaN(elapsedS) ? "not measured"
        : Fields.duration(elapsedS) + (m.ended() ? "" : " so far");
  }
}
