package io.sparkzero.driver.prune;

import io.sparkzero.driver.data.LoadedData;
import io.sparkzero.pruning.ExampleScores;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What {@code report.html} shows beyond a run's outcome, each part from plain inputs: a caller
 * that has more (several metrics' scores, an experiment's results) renders the same page with
 * {@link PruneReportPage#render} and its own inputs.
 *
 * @param scoresByMetric each scored metric's scores of the same examples, in the order of the
 *     outcome's scores; the correlation table compares them pairwise
 * @param thumbnails the examples drawn per class; null when {@code pruning.report-thumbnails} is 0
 * @param experiment test accuracy against the kept fraction; null when no experiment has run
 */
public record ReportInputs(Map<String, double[]> scoresByMetric, Thumbnails thumbnails,
    ExperimentResults experiment) {

  public ReportInputs {
    scoresByMetric = new LinkedHashMap<>(scoresByMetric);
  }

  /**
   * The inputs of a {@code prune} run: its one metric's scores, its thumbnails fetched from
   * {@code data} (the data it scored), and {@code experiment} (null for none).
   */
  public static ReportInputs gather(LoadedData data, PruneOutcome outcome, ExperimentResults experiment) {
    ExampleScores scores = outcome.scores().scores();
    Map<String, double[]> byMetric = new java.util.LinkedHashMap<>();
    for (Map.Entry<String, ExampleScores> e : outcome.allScores().entrySet()) {
      double[] values = new double[e.getValue().size()];
      for (int i = 0; i < values.length; i++) {
        values[i] = e.getValue().score(i);
      }
      byMetric.put(e.getKey(), values);
    }
    int perRow = outcome.settings().thumbnails();
    Thumbnails thumbnails = perRow == 0 ? null
        : Thumbnails.fetch(data.examples(), data.numFeatures(), scores, outcome.scores().margins(), perRow);
    return new ReportInputs(byMetric, thumbnails, experiment);
  }

  /** These inputs with {@code results} as the experiment: what the comparison command renders. */
  public ReportInputs withExperiment(ExperimentResults results) {
    return new ReportInputs(scoresByMetric, thumbnails, results);
  }
}
