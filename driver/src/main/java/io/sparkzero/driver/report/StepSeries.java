package io.sparkzero.driver.report;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sparkzero.report.Downsampled;
import java.util.List;
import java.util.Locale;

/**
 * The per-step fields of a run on one global-step axis, cut to at most {@link #MAX_POINTS}
 * points per series with {@link Downsampled} (mean buckets, with min and max), so that a run of
 * 100,000 steps gives a page of a few megabytes that a browser draws at once.
 */
final class StepSeries {

  /** Points per step series at most: more than a screen is wide, few enough to stay quick. */
  static final int MAX_POINTS = 2000;

  private final List<ObjectNode> steps;
  private final double[] globalStep;

  StepSeries(List<ObjectNode> steps) {
    this.steps = steps;
    this.globalStep = new double[steps.size()];
    for (int i = 0; i < globalStep.length; i++) {
      double g = Fields.number(steps.get(i), "global_step");
      globalStep[i] = Double.isNaN(g) ? i + 1 : g;
    }
  }

  /** The field, bucketed (the x values are each bucket's last global step). */
  Downsampled field(String name) {
    return Downsampled.of(globalStep, Fields.column(steps, name), MAX_POINTS);
  }

  /** The field for every step, unbucketed. */
  double[] raw(String name) {
    return Fields.column(steps, name);
  }

  /** Steps in the run. */
  int count() {
    return steps.size();
  }

  /** Says how the step charts are drawn, for a note on the page. */
  String description() {
    Downsampled d = field("loss");
    if (!d.merged()) {
      return String.format(Locale.ROOT, "%d steps, each drawn as a point.", count());
    }
    return String.format(Locale.ROOT, "%d steps, drawn as %d points: each point is the mean of %d"
        + " consecutive steps, placed at the last of them (the loss chart also draws each"
        + " bucket's minimum and maximum). Drag the slider or scroll on a chart to zoom.",
        count(), d.x().length, d.bucketSize());
  }
}
