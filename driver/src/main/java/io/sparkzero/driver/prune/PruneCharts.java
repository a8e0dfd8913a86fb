package io.sparkzero.driver.prune;

import io.sparkzero.pruning.ExampleScores;
import io.sparkzero.pruning.SelectionSummary;
import io.sparkzero.pruning.ssp.SspResult;
import io.sparkzero.report.BarChart;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;

/** The pruning report's charts, each a pure function of the outcome's numbers. */
final class PruneCharts {
  /** Twenty bins: enough to see a distribution's shape, few enough to read each bar. */
  static final int SCORE_BINS = 20;

  private PruneCharts() {}

  /** Counts per score bin, one stacked series per class, the bins shared by every class. */
  static BarChart scoreHistogram(ExampleScores scores) {
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < scores.size(); i++) {
      min = Math.min(min, scores.score(i));
      max = Math.max(max, scores.score(i));
    }
    double width = (max - min) / SCORE_BINS;
    int[] labels = scores.labeled() ? scores.classLabels() : new int[] {ExampleScores.UNLABELED};
    double[][] counts = new double[labels.length][SCORE_BINS];
    for (int i = 0; i < scores.size(); i++) {
      // The largest score belongs to the last bin, not one past it.
      int bin = width > 0 ? Math.min(SCORE_BINS - 1, (int) ((scores.score(i) - min) / width)) : 0;
      counts[Math.max(0, scores.classIndex(i))][bin]++;
    }
    List<String> bins = new ArrayList<>();
    for (int b = 0; b < SCORE_BINS; b++) {
      bins.add(String.format(Locale.ROOT, "%.3g", min + (b + 0.5) * width));
    }
    BarChart chart = new BarChart("score-histogram", "Scores by class (stacked)", bins, true)
        .axes("score (bin centre)", "examples");
    for (int c = 0; c < labels.length; c++) {
      chart.series(className(labels[c]), counts[c]);
    }
    return chart;
  }

  /** The share of each class's examples that is kept. */
  static BarChart keptFraction(SelectionSummary s) {
    List<String> classes = s.examplesPerClass().keySet().stream().map(PruneCharts::className).toList();
    double[] shares = s.examplesPerClass().entrySet().stream()
        .mapToDouble(e -> (double) s.keptPerClass().getOrDefault(e.getKey(), 0L) / e.getValue()).toArray();
    return new BarChart("kept-fraction", "Kept share per class", classes, false).axes("class", "kept share")
        .series("kept share", shares);
  }

  /** Each cluster's size, largest first, split by class. */
  static BarChart clusterMix(SspResult ssp) {
    long[] sizes = ssp.clusterSizes();
    int[] order = IntStream.range(0, sizes.length).boxed()
        .sorted(Comparator.comparingLong((Integer c) -> -sizes[c]).thenComparingInt(c -> c))
        .mapToInt(Integer::intValue).toArray();
    List<String> names = IntStream.of(order).mapToObj(c -> "c" + c).toList();
    int classes = ssp.classCountsByCluster().length == 0 ? 0 : ssp.classCountsByCluster()[0].length;
    BarChart chart = new BarChart("cluster-mix", "Cluster sizes by class", names, true)
        .axes("cluster", "examples");
    if (classes == 0) { // unlabelled: the sizes alone
      return chart.series("examples", IntStream.of(order).mapToDouble(c -> sizes[c]).toArray());
    }
    for (int k = 0; k < classes; k++) {
      int label = k;
      chart.series(className(label),
          IntStream.of(order).mapToDouble(c -> ssp.classCountsByCluster()[c][label]).toArray());
    }
    return chart;
  }

  private static String className(int label) {
    return label == ExampleScores.UNLABELED ? "unlabelled" : "class " + label;
  }
}
